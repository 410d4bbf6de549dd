import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { useWorld } from '../../testkit/run';
import { expectCode } from '../../testkit/expect';

const kit = useWorld({ sessions: ['kari'] });

test('R16, R19: a revoked key cannot be linked, but its links can be removed, and then its template deleted', async () => {
  const template = await kit.app.seed.accessTemplate(kit.world.office, 'Midlertidig', [Permission.CUSTOMER_READ]);
  const { userKey } = await kit.app.seed.userKey(kit.world.kari, {
    permissions: [Permission.CUSTOMER_READ],
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
  });
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, template);
  await kit.app.api.request(
    'mutation ($id: ID!) { revokeUserKey(id: $id) { status } }',
    { id: userKey.id },
    { token: kit.token.kari },
  );

  const relink = await kit.app.api.request(
    'mutation ($i: LinkClientInput!) { linkClient(input: $i) { client { id } } }',
    { i: { clientId: kit.world.fjordFisk.id, userKeyId: userKey.id, accessTemplateId: template.id } },
    { token: kit.token.kari },
  );
  expectCode(relink, 'CONFLICT');
  const stuck = await kit.app.api.request(
    'mutation ($id: ID!) { deleteAccessTemplate(id: $id) }',
    { id: template.id },
    { token: kit.token.kari },
  );
  expectCode(stuck, 'CONFLICT');

  const unlinked = await kit.app.api.request(
    'mutation ($i: UnlinkClientsInput!) { unlinkClients(input: $i) { unlinkedCount } }',
    { i: { clientIds: [kit.world.bakeri.id], userKeyId: userKey.id } },
    { token: kit.token.kari },
  );
  expect(unlinked.data).toEqual({ unlinkClients: { unlinkedCount: 1 } });
  const deleted = await kit.app.api.request(
    'mutation ($id: ID!) { deleteAccessTemplate(id: $id) }',
    { id: template.id },
    { token: kit.token.kari },
  );
  expect(deleted.data).toEqual({ deleteAccessTemplate: true });
});
