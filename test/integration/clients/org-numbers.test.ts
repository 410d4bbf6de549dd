import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

/**
 * Organisation numbers are unique among one office's clients, not across tenants (issue 19,
 * finding 8): registering a client tells an office nothing about other offices' clients, and no
 * office can take a number before the company's real office registers it.
 */

const ADD = `mutation ($name: String!, $org: String) {
  addClient(input: { name: $name, orgNumber: $org }) { company { id name orgNumber } } }`;

const kit = useWorld({ sessions: ['kari', 'anne'] });

test('addClient with a number another office’s client has answers exactly as with an unused number (no existence leak)', async () => {
  // 920000002 is Fremmed Klient AS, a client of Anne's office; 930000001 is nobody's
  const taken = await kit.app.api.request(
    ADD,
    { name: 'Fremmed Klient (Kari)', org: kit.world.other.client.orgNumber },
    { token: kit.token.kari },
  );
  const unused = await kit.app.api.request(ADD, { name: 'Ubrukt AS', org: '930000001' }, { token: kit.token.kari });
  expectOk(taken);
  expectOk(unused);
  expect(taken.data.addClient.company.orgNumber).toBe(kit.world.other.client.orgNumber);
  // Anne's client is untouched and still only hers
  const annes = expectOk(
    await kit.app.api.request(
      '{ clients(first: 50) { edges { node { company { id orgNumber } } } } }',
      {},
      { token: kit.token.anne },
    ),
  );
  expect(annes.clients.edges.map((e: { node: { company: { id: string } } }) => e.node.company.id)).toEqual([
    kit.world.other.client.id,
  ]);
});

test('an office cannot squat a number: the company’s real office registers it afterwards all the same', async () => {
  expectOk(await kit.app.api.request(ADD, { name: 'Squatter AS', org: '940000001' }, { token: kit.token.kari }));
  const real = await kit.app.api.request(ADD, { name: 'Ekte Bedrift AS', org: '940000001' }, { token: kit.token.anne });
  expectOk(real);
});

test('within one office a number is registered once (CONFLICT naming it), and the office learns only about its own clients', async () => {
  expectOk(await kit.app.api.request(ADD, { name: 'Første AS', org: '950000001' }, { token: kit.token.kari }));
  const again = await kit.app.api.request(ADD, { name: 'Andre AS', org: '950000001' }, { token: kit.token.kari });
  expectCode(again, 'CONFLICT');
  expect(again.errors[0].message).toContain('950000001');
  expect(again.errors[0].extensions?.field).toBe('orgNumber');
  const clients = expectOk(
    await kit.app.api.request(
      '{ clients(search: "950000001", first: 10) { totalCount } }',
      {},
      { token: kit.token.kari },
    ),
  );
  expect(clients.clients.totalCount).toBe(1);
});
