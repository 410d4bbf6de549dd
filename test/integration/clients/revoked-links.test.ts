import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';

let app: TestApp;
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

test('R16, R19: a revoked key cannot be linked, but its links can be removed, and then its template deleted', async () => {
  const template = await app.seed.accessTemplate(world.office, 'Midlertidig', [Permission.CUSTOMER_READ]);
  const { userKey } = await app.seed.userKey(world.kari, {
    permissions: [Permission.CUSTOMER_READ],
    kind: UserKeyKind.ACCOUNTANT,
    application: world.apps.fiken,
  });
  await app.seed.clientLink(world.office, world.bakeri, userKey, template);
  await app.api.request(
    'mutation ($id: ID!) { revokeUserKey(id: $id) { status } }',
    { id: userKey.id },
    { token: kari },
  );

  const relink = await app.api.request(
    'mutation ($i: LinkClientInput!) { linkClient(input: $i) { client { id } } }',
    { i: { clientId: world.fjordFisk.id, userKeyId: userKey.id, accessTemplateId: template.id } },
    { token: kari },
  );
  expect(codes(relink)).toEqual(['CONFLICT']);
  const stuck = await app.api.request(
    'mutation ($id: ID!) { deleteAccessTemplate(id: $id) }',
    { id: template.id },
    { token: kari },
  );
  expect(codes(stuck)).toEqual(['CONFLICT']);

  const unlinked = await app.api.request(
    'mutation ($i: UnlinkClientsInput!) { unlinkClients(input: $i) { unlinkedCount } }',
    { i: { clientIds: [world.bakeri.id], userKeyId: userKey.id } },
    { token: kari },
  );
  expect(unlinked.data).toEqual({ unlinkClients: { unlinkedCount: 1 } });
  const deleted = await app.api.request(
    'mutation ($id: ID!) { deleteAccessTemplate(id: $id) }',
    { id: template.id },
    { token: kari },
  );
  expect(deleted.data).toEqual({ deleteAccessTemplate: true });
});
