require('/work/wt-attack/node_modules/reflect-metadata');
const { Database } = require('/work/wt-attack/dist/server/src/db/database');
const { ClientRelation } = require('/work/wt-attack/dist/server/src/modules/clients/client-relation.entity');
(async () => {
  const db = new Database({ dialect: 'sqlite', path: '/tmp/atk/p.sqlite' });
  await db.connect();
  const [{ office_id }] = await db.manager.query("SELECT office_id, count(*) n FROM client_relation GROUP BY office_id ORDER BY n DESC LIMIT 1");
  const q = db.manager.createQueryBuilder(ClientRelation, 'r').innerJoinAndSelect('r.client', 'c').where('r.officeId = :o', { o: office_id })
    .andWhere("(c.name LIKE :q ESCAPE '!' OR c.orgNumber LIKE :q ESCAPE '!')", { q: '%37%' });
  console.log(q.clone().select('x').getQuery ? '' : '');
  const [sql, params] = q.clone().getQueryAndParameters();
  for (let i = 0; i < 3; i++) { const t = performance.now(); const n = await q.clone().getCount(); console.log('count', n, (performance.now() - t).toFixed(1), 'ms'); }
  for (let i = 0; i < 3; i++) { const t = performance.now(); const r = await q.clone().orderBy('c.name').limit(2).getMany(); console.log('page', r.length, (performance.now() - t).toFixed(1), 'ms'); }
  const raw = db.dataSource.driver.databaseConnection;
  const t = performance.now(); const r = raw.prepare("SELECT COUNT(*) n FROM client_relation r JOIN company c ON c.id = r.client_id WHERE r.office_id = ? AND (c.name LIKE ? ESCAPE '!' OR c.org_number LIKE ? ESCAPE '!')").get(office_id, '%37%', '%37%'); console.log('plain count', r, (performance.now() - t).toFixed(1));
  console.log(raw.prepare("EXPLAIN QUERY PLAN " + q.clone().select('COUNT(DISTINCT(r.office_id || r.client_id))').getQuery()).all ? '' : '');
  await db.close();
})().catch(e => console.log(e));
