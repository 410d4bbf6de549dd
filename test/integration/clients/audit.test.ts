import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import {
  BULK_LINK,
  CREATE_TEMPLATE,
  DELETE_TEMPLATE,
  LINK_ONE,
  SET_API_ACCESS,
  UNLINK,
  UPDATE_TEMPLATE,
  accountantKey,
  auditCount,
  type AuditRow,
  auditEvents,
  ok,
} from './helpers';

let app: TestApp;
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

describe('audit of the client features (R21)', () => {
  test('R21: creating, editing and deleting a template is audited with the actor and the change', async () => {
    const created = ok(
      await app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'Revisjon', permissions: ['CUSTOMER_READ'] } },
        { token: kari },
      ),
    ).createAccessTemplate;
    ok(
      await app.api.request(
        UPDATE_TEMPLATE,
        { id: created.id, input: { permissions: ['INVOICE_READ'] } },
        { token: kari },
      ),
    );
    ok(await app.api.request(DELETE_TEMPLATE, { id: created.id }, { token: kari }));
    const events = (await auditEvents(app, kari)).filter((e) => e.targetId === created.id);
    expect(events.map((e) => e.action)).toEqual([
      'accessTemplate.delete',
      'accessTemplate.update',
      'accessTemplate.create',
    ]);
    for (const e of events) expect(e.actorEmployee).toEqual({ id: world.kari.id });
    const update = events.find((e) => e.action === 'accessTemplate.update')!;
    expect(JSON.parse(update.details!)).toMatchObject({ added: ['INVOICE_READ'], removed: ['CUSTOMER_READ'] });
  });

  test('R21: a refused template change writes nothing to the audit log', async () => {
    const before = await auditCount(app, world.office.id, 'accessTemplate.create');
    const res = await app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Bokføring', permissions: [] } },
      { token: kari },
    );
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(await auditCount(app, world.office.id, 'accessTemplate.create')).toBe(before);
  });

  test('R21: each link or unlink call writes one audit event naming the grantee, the template and the clients it changed', async () => {
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const bulk = {
      clientIds: [world.bakeri.id, world.fjordFisk.id],
      userKeyId: userKey.id,
      accessTemplateId: world.kunLese.id,
    };
    ok(await app.api.request(BULK_LINK, { input: bulk }, { token: kari }));
    ok(
      await app.api.request(
        LINK_ONE,
        { input: { clientId: world.bakeri.id, userKeyId: userKey.id, accessTemplateId: world.bokforing.id } },
        { token: kari },
      ),
    );
    ok(
      await app.api.request(
        UNLINK,
        { input: { clientIds: [world.fjordFisk.id], userKeyId: userKey.id } },
        { token: kari },
      ),
    );

    const res = await app.api.request(
      `{ auditEvents(first: 100) { edges { node { action targetId details actorEmployee { id }
         clients(first: 10) { totalCount edges { node { id name } } } } } } }`,
      {},
      { token: kari },
    );
    const mine = ok(res)
      .auditEvents.edges.map(
        (e: { node: AuditRow & { clients: { totalCount: number; edges: { node: { id: string } }[] } } }) => e.node,
      )
      .filter((e: AuditRow) => e.action.startsWith('clientLink.') && e.targetId === userKey.id);
    // newest first: one event per call, each listing the clients it changed
    const clientsOf = (e: { clients: { edges: { node: { id: string } }[] } }) => e.clients.edges.map((c) => c.node.id);
    expect(mine.map((e: AuditRow) => e.action)).toEqual(['clientLink.unlink', 'clientLink.link', 'clientLink.link']);
    expect(clientsOf(mine[0])).toEqual([world.fjordFisk.id]);
    expect(clientsOf(mine[1])).toEqual([world.bakeri.id]);
    expect(clientsOf(mine[2]).sort()).toEqual([world.bakeri.id, world.fjordFisk.id].sort());
    expect(mine[2].clients.totalCount).toBe(2);
    expect(JSON.parse(mine[1].details!)).toMatchObject({
      granteeId: userKey.id,
      templateId: world.bokforing.id,
      templateName: 'Bokføring',
      clientCount: 1,
      relinked: 1,
    });
    for (const e of mine) expect(e.actorEmployee).toEqual({ id: world.kari.id });
  });

  test('R21: a refused bulk link writes no audit events', async () => {
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const before = await auditCount(app, world.office.id, 'clientLink.link');
    const res = await app.api.request(
      BULK_LINK,
      {
        input: {
          clientIds: [world.bakeri.id, world.other.client.id],
          userKeyId: userKey.id,
          accessTemplateId: world.kunLese.id,
        },
      },
      { token: kari },
    );
    expect(res.errors).toHaveLength(1);
    expect(await auditCount(app, world.office.id, 'clientLink.link')).toBe(before);
  });

  test('R21: a change made by a key names the key and its owner as the actor', async () => {
    const adminKey = await app.seed.userKey(world.kari, {
      kind: UserKeyKind.EMPLOYEE,
      permissions: [Permission.CLIENT_ADMIN, Permission.USER_ADMIN],
    });
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    ok(
      await app.api.request(
        LINK_ONE,
        { input: { clientId: world.fjordFisk.id, userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
        { token: adminKey.token },
      ),
    );
    const [event] = (await auditEvents(app, kari)).filter(
      (e) => e.action === 'clientLink.link' && JSON.parse(e.details ?? '{}').granteeId === userKey.id,
    );
    expect(event).toMatchObject({
      targetId: userKey.id,
      actorEmployee: { id: world.kari.id },
      actorUserKey: { id: adminKey.userKey.id },
    });
  });

  test('R21: switching API access is audited in both companies', async () => {
    const bakeriAdmin = await app.api.login('admin@bakeri.example');
    ok(
      await app.api.request(
        SET_API_ACCESS,
        { input: { accountingOfficeId: world.office.id, enabled: false } },
        { token: bakeriAdmin },
      ),
    );
    const inClient = await auditEvents(app, bakeriAdmin);
    const inOffice = await auditEvents(app, kari);
    expect(inClient[0]).toMatchObject({
      action: 'client.setApiAccess',
      targetId: world.office.id,
      actorEmployee: { id: world.bakeriAdmin.id },
    });
    expect(inOffice.find((e) => e.action === 'client.setApiAccess')).toMatchObject({
      targetId: world.bakeri.id,
      actorEmployee: { id: world.bakeriAdmin.id },
    });
  });
});
