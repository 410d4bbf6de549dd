import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import {
  BULK_LINK,
  CREATE_TEMPLATE,
  DELETE_TEMPLATE,
  LINK_ONE,
  UNLINK,
  UPDATE_TEMPLATE,
  accountantKey,
  auditCount,
  type AuditRow,
  auditEvents,
  switchApiAccess,
} from './helpers';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ sessions: ['kari'] });

describe('audit of the client features (R21)', () => {
  test('R21: creating, editing and deleting a template is audited with the actor and the change', async () => {
    const created = expectOk(
      await kit.app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'Revisjon', permissions: ['CUSTOMER_READ'] } },
        { token: kit.token.kari },
      ),
    ).createAccessTemplate;
    expectOk(
      await kit.app.api.request(
        UPDATE_TEMPLATE,
        { id: created.id, input: { permissions: ['INVOICE_READ'] } },
        { token: kit.token.kari },
      ),
    );
    expectOk(await kit.app.api.request(DELETE_TEMPLATE, { id: created.id }, { token: kit.token.kari }));
    const events = (await auditEvents(kit.app, kit.token.kari)).filter((e) => e.targetId === created.id);
    expect(events.map((e) => e.action)).toEqual([
      'accessTemplate.delete',
      'accessTemplate.update',
      'accessTemplate.create',
    ]);
    for (const e of events) expect(e.actorEmployee).toEqual({ id: kit.world.kari.id });
    const update = events.find((e) => e.action === 'accessTemplate.update')!;
    expect(JSON.parse(update.details!)).toMatchObject({ added: ['INVOICE_READ'], removed: ['CUSTOMER_READ'] });
  });

  test('R21: a refused template change writes nothing to the audit log', async () => {
    const before = await auditCount(kit.app, kit.world.office.id, 'accessTemplate.create');
    const res = await kit.app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Bokføring', permissions: [] } },
      { token: kit.token.kari },
    );
    expectCode(res, 'CONFLICT');
    expect(await auditCount(kit.app, kit.world.office.id, 'accessTemplate.create')).toBe(before);
  });

  test('R21: each link or unlink call writes one audit event naming the grantee, the template and the clients it changed', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const bulk = {
      clientIds: [kit.world.bakeri.id, kit.world.fjordFisk.id],
      userKeyId: userKey.id,
      accessTemplateId: kit.world.kunLese.id,
    };
    expectOk(await kit.app.api.request(BULK_LINK, { input: bulk }, { token: kit.token.kari }));
    expectOk(
      await kit.app.api.request(
        LINK_ONE,
        { input: { clientId: kit.world.bakeri.id, userKeyId: userKey.id, accessTemplateId: kit.world.bokforing.id } },
        { token: kit.token.kari },
      ),
    );
    expectOk(
      await kit.app.api.request(
        UNLINK,
        { input: { clientIds: [kit.world.fjordFisk.id], userKeyId: userKey.id } },
        { token: kit.token.kari },
      ),
    );

    const res = await kit.app.api.request(
      `{ auditEvents(first: 100) { edges { node { action targetId details actorEmployee { id }
         clients(first: 10) { totalCount edges { node { id name } } } } } } }`,
      {},
      { token: kit.token.kari },
    );
    const mine = expectOk(res)
      .auditEvents.edges.map(
        (e: { node: AuditRow & { clients: { totalCount: number; edges: { node: { id: string } }[] } } }) => e.node,
      )
      .filter((e: AuditRow) => e.action.startsWith('clientLink.') && e.targetId === userKey.id);
    // newest first: one event per call, each listing the clients it changed
    const clientsOf = (e: { clients: { edges: { node: { id: string } }[] } }) => e.clients.edges.map((c) => c.node.id);
    expect(mine.map((e: AuditRow) => e.action)).toEqual(['clientLink.unlink', 'clientLink.link', 'clientLink.link']);
    expect(clientsOf(mine[0])).toEqual([kit.world.fjordFisk.id]);
    expect(clientsOf(mine[1])).toEqual([kit.world.bakeri.id]);
    expect(clientsOf(mine[2]).sort()).toEqual([kit.world.bakeri.id, kit.world.fjordFisk.id].sort());
    expect(mine[2].clients.totalCount).toBe(2);
    expect(JSON.parse(mine[1].details!)).toMatchObject({
      granteeId: userKey.id,
      templateId: kit.world.bokforing.id,
      templateName: 'Bokføring',
      clientCount: 1,
      relinked: 1,
    });
    for (const e of mine) expect(e.actorEmployee).toEqual({ id: kit.world.kari.id });
  });

  test('R21: a refused bulk link writes no audit events', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const before = await auditCount(kit.app, kit.world.office.id, 'clientLink.link');
    const res = await kit.app.api.request(
      BULK_LINK,
      {
        input: {
          clientIds: [kit.world.bakeri.id, kit.world.other.client.id],
          userKeyId: userKey.id,
          accessTemplateId: kit.world.kunLese.id,
        },
      },
      { token: kit.token.kari },
    );
    expect(res.errors).toHaveLength(1);
    expect(await auditCount(kit.app, kit.world.office.id, 'clientLink.link')).toBe(before);
  });

  test('R21: a change made by a key names the key and its owner as the actor', async () => {
    const adminKey = await kit.app.seed.userKey(kit.world.kari, {
      kind: UserKeyKind.EMPLOYEE,
      permissions: [Permission.CLIENT_ADMIN, Permission.USER_ADMIN],
    });
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    expectOk(
      await kit.app.api.request(
        LINK_ONE,
        { input: { clientId: kit.world.fjordFisk.id, userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
        { token: adminKey.token },
      ),
    );
    const [event] = (await auditEvents(kit.app, kit.token.kari)).filter(
      (e) => e.action === 'clientLink.link' && JSON.parse(e.details ?? '{}').granteeId === userKey.id,
    );
    expect(event).toMatchObject({
      targetId: userKey.id,
      actorEmployee: { id: kit.world.kari.id },
      actorUserKey: { id: adminKey.userKey.id },
    });
  });

  test('R21: switching API access is audited in both companies', async () => {
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    await switchApiAccess(kit.app, bakeriAdmin, kit.world.office.id, false);
    const inClient = await auditEvents(kit.app, bakeriAdmin);
    const inOffice = await auditEvents(kit.app, kit.token.kari);
    expect(inClient[0]).toMatchObject({
      action: 'client.setApiAccess',
      targetId: kit.world.office.id,
      actorEmployee: { id: kit.world.bakeriAdmin.id },
    });
    expect(inOffice.find((e) => e.action === 'client.setApiAccess')).toMatchObject({
      targetId: kit.world.bakeri.id,
      actorEmployee: { id: kit.world.bakeriAdmin.id },
    });
  });
});
