import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import { ok } from './helpers';

/**
 * Organisation numbers are unique among one office's clients, not across tenants (issue 19,
 * finding 8): registering a client tells an office nothing about other offices' clients, and no
 * office can take a number before the company's real office registers it.
 */

let app: TestApp;
let world: World;
let kari: string;
let anne: string;

const ADD = `mutation ($name: String!, $org: String) {
  addClient(input: { name: $name, orgNumber: $org }) { company { id name orgNumber } } }`;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
  anne = await app.api.login('anne@annet.example');
});
afterAll(() => app.close());

test('addClient with a number another office’s client has answers exactly as with an unused number (no existence leak)', async () => {
  // 920000002 is Fremmed Klient AS, a client of Anne's office; 930000001 is nobody's
  const taken = await app.api.request(
    ADD,
    { name: 'Fremmed Klient (Kari)', org: world.other.client.orgNumber },
    { token: kari },
  );
  const unused = await app.api.request(ADD, { name: 'Ubrukt AS', org: '930000001' }, { token: kari });
  expect(codes(taken)).toEqual([]);
  expect(codes(unused)).toEqual([]);
  expect(taken.data.addClient.company.orgNumber).toBe(world.other.client.orgNumber);
  // Anne's client is untouched and still only hers
  const annes = ok(
    await app.api.request(
      '{ clients(first: 50) { edges { node { company { id orgNumber } } } } }',
      {},
      { token: anne },
    ),
  );
  expect(annes.clients.edges.map((e: { node: { company: { id: string } } }) => e.node.company.id)).toEqual([
    world.other.client.id,
  ]);
});

test('an office cannot squat a number: the company’s real office registers it afterwards all the same', async () => {
  expect(codes(await app.api.request(ADD, { name: 'Squatter AS', org: '940000001' }, { token: kari }))).toEqual([]);
  const real = await app.api.request(ADD, { name: 'Ekte Bedrift AS', org: '940000001' }, { token: anne });
  expect(codes(real)).toEqual([]);
});

test('within one office a number is registered once (CONFLICT naming it), and the office learns only about its own clients', async () => {
  expect(codes(await app.api.request(ADD, { name: 'Første AS', org: '950000001' }, { token: kari }))).toEqual([]);
  const again = await app.api.request(ADD, { name: 'Andre AS', org: '950000001' }, { token: kari });
  expect(codes(again)).toEqual(['CONFLICT']);
  expect(again.errors[0].message).toContain('950000001');
  expect(again.errors[0].extensions?.field).toBe('orgNumber');
  const clients = ok(
    await app.api.request('{ clients(search: "950000001", first: 10) { totalCount } }', {}, { token: kari }),
  );
  expect(clients.clients.totalCount).toBe(1);
});
