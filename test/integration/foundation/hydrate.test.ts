import { hydrate, hydrateShared } from '../../../server/src/db/hydrate';
import { AccessTemplate } from '../../../server/src/modules/clients/access-template.entity';
import { Company } from '../../../server/src/modules/companies/company.entity';
import { useWorld } from '../../testkit/run';

/** Rows of hand-written queries into entities (db/hydrate.ts), on the real database's metadata. */

const kit = useWorld({ seed: false });
const manager = () => kit.app.server.db.manager;

test('a row becomes an instance of the entity with the columns the row has, converted, and no others', async () => {
  const [row] = await manager().query(
    "SELECT 'cmp_1' AS c__id, 'Bakeri AS' AS c__name, 'REGULAR' AS c__kind, '2026-11-02 10:00:00' AS c__created_at",
  );
  const [company] = hydrate(manager(), Company, [row], 'c__');
  expect(company).toBeInstanceOf(Company);
  expect(Object.keys(company).sort()).toEqual(['createdAt', 'id', 'kind', 'name']);
  expect(company.createdAt).toBeInstanceOf(Date);
  expect(company.name).toBe('Bakeri AS');
  expect(hydrate(manager(), Company, [], 'c__')).toEqual([]);
});

test('rows sharing a joined entity share one instance of it; rows of another id get their own', () => {
  const rows = [
    { t__id: 'tpl_a', t__name: 'Bokføring', t__permission_bits: 3 },
    { t__id: 'tpl_b', t__name: 'Kun lese', t__permission_bits: 1 },
    { t__id: 'tpl_a', t__name: 'Bokføring', t__permission_bits: 3 },
  ];
  const [a1, b, a2] = hydrateShared(manager(), AccessTemplate, rows, 't__');
  expect(a1).toBe(a2);
  expect(b).not.toBe(a1);
  expect([a1.name, b.name]).toEqual(['Bokføring', 'Kun lese']);
  expect(b.permissionSet.bits).toBe(1);
  expect(hydrateShared(manager(), AccessTemplate, [], 't__')).toEqual([]);
});
