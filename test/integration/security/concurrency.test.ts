import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { codes } from '../../testkit/graphql-client';
import { useWorld } from '../../testkit/run';
import { expectCode } from '../../testkit/expect';

const kit = useWorld({ sessions: ['kari'] });

test('R9: 20 parallel restores of one key leave exactly one valid secret, and it is the one a caller received', async () => {
  const { userKey, token: original } = await kit.app.seed.userKey(kit.world.kari, { permissions: [Permission.LOGIN] });
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      kit.app.api.request(
        'mutation ($id: ID!) { restoreUserKey(id: $id) { token } }',
        { id: userKey.id },
        { token: kit.token.kari },
      ),
    ),
  );
  const issued = results.filter((r) => r.errors.length === 0).map((r) => r.data.restoreUserKey.token as string);
  expect(issued.length).toBeGreaterThanOrEqual(1);
  results.filter((r) => r.errors.length).forEach((r) => expectCode(r, 'CONFLICT'));
  const working = [];
  for (const token of [original, ...issued]) {
    const res = await kit.app.api.request('{ viewer { userKey { id } } }', {}, { token });
    if (res.errors.length === 0) working.push(token);
  }
  expect(working).toHaveLength(1);
  expect(issued).toContain(working[0]);
});

test('R16: parallel overlapping bulk links never duplicate a link', async () => {
  const clientIds: string[] = [];
  for (let i = 0; i < 30; i++) {
    const client = await kit.app.seed.company({ name: `Overlap ${i}` });
    await kit.app.seed.clientRelation(kit.world.office, client);
    clientIds.push(client.id);
  }
  const { userKey } = await kit.app.seed.userKey(kit.world.kari, {
    permissions: [Permission.CUSTOMER_READ],
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
  });
  const templates = [kit.world.bokforing.id, kit.world.kunLese.id];
  const calls = Array.from({ length: 10 }, (_, i) =>
    kit.app.api.request(
      'mutation ($i: BulkLinkClientsInput!) { bulkLinkClients(input: $i) { linkedCount } }',
      {
        i: { clientIds: clientIds.slice(i * 2, i * 2 + 12), userKeyId: userKey.id, accessTemplateId: templates[i % 2] },
      },
      { token: kit.token.kari },
    ),
  );
  const results = await Promise.all(calls);
  results.forEach((r) => expect(r.errors).toEqual([]));
  const rows: { client_id: string; n: number | string }[] = await kit.app.server.db.manager.query(
    'SELECT client_id, COUNT(*) AS n FROM client_link WHERE grantee_id = ? GROUP BY client_id',
    [userKey.id],
  );
  expect(rows).toHaveLength(30);
  expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
});

test('R2: parallel permission edits never leave a key able to do more than its owner', async () => {
  const owner = await kit.app.seed.employee(kit.world.office, {
    name: 'Racer',
    permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ],
  });
  const { userKey, token: keyToken } = await kit.app.seed.userKey(owner, { permissions: [Permission.LOGIN] });
  const setKey = (permissions: Permission[]) =>
    kit.app.api.request(
      'mutation ($id: ID!, $p: [Permission!]!) { setUserKeyPermissions(id: $id, permissions: $p) { permissions } }',
      { id: userKey.id, p: permissions },
      { token: kit.token.kari },
    );
  const setOwner = (permissions: Permission[]) =>
    kit.app.api.request(
      'mutation ($id: ID!, $p: [Permission!]!) { setEmployeePermissions(employeeId: $id, permissions: $p) { id } }',
      { id: owner.id, p: permissions },
      { token: kit.token.kari },
    );

  for (let round = 0; round < 5; round++) {
    await setOwner([Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ]);
    await setKey([Permission.LOGIN]);
    const [removed, added, beyond] = await Promise.all([
      setOwner([Permission.LOGIN, Permission.INVOICE_READ]),
      setKey([Permission.LOGIN, Permission.CUSTOMER_READ]),
      setKey([Permission.LOGIN, Permission.PAYROLL_READ]),
    ]);
    expect(removed.errors).toEqual([]);
    expectCode(beyond, 'PERMISSION_CEILING_EXCEEDED');
    // the add either ran before the removal (and then the removal takes the permission away from
    // what the key can do) or after it (and was refused): in no order can the key read customers
    expect([[], ['PERMISSION_CEILING_EXCEEDED']]).toContainEqual(codes(added));
    const viewer = await kit.app.api.request(
      '{ viewer { effectivePermissions } customers { totalCount } }',
      {},
      { token: keyToken },
    );
    expect(viewer.data?.viewer?.effectivePermissions ?? []).not.toContain('CUSTOMER_READ');
    expect(codes(viewer)).toContain('FORBIDDEN');
  }
});

test('R16: linkClient racing unlinkClients on the same client always answers with the link it made', async () => {
  const client = await kit.app.seed.company({ name: 'Race Client' });
  await kit.app.seed.clientRelation(kit.world.office, client);
  const { userKey } = await kit.app.seed.userKey(kit.world.kari, {
    permissions: [Permission.CUSTOMER_READ],
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
  });
  const input = { clientId: client.id, userKeyId: userKey.id, accessTemplateId: kit.world.bokforing.id };
  for (let round = 0; round < 15; round++) {
    const [linked, unlinked] = await Promise.all([
      kit.app.api.request(
        'mutation ($i: LinkClientInput!) { linkClient(input: $i) { client { id } template { name } } }',
        { i: input },
        { token: kit.token.kari },
      ),
      kit.app.api.request(
        'mutation ($i: UnlinkClientsInput!) { unlinkClients(input: $i) { unlinkedCount } }',
        { i: { clientIds: [client.id], userKeyId: userKey.id } },
        { token: kit.token.kari },
      ),
    ]);
    expect(linked.errors).toEqual([]);
    expect(linked.data.linkClient).toEqual({ client: { id: client.id }, template: { name: 'Bokføring' } });
    expect(unlinked.errors).toEqual([]);
  }
});
