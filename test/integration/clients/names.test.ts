import { codes } from '../../testkit/graphql-client';
import { createKey, requestKey } from '../keys/helpers';
import { REVOKE_KEY } from '../keys/documents';
import { CREATE_TEMPLATE, UPDATE_TEMPLATE } from './helpers';
import { useWorld } from '../../testkit/run';
import { expectCode, expectOk, outcomeOf } from '../../testkit/expect';

/**
 * Names cannot lie (issue 19, finding 13): every name is stored in NFC; invisible, control and
 * text-direction characters are refused; and names that look alike (Unicode's confusable skeleton)
 * are one name where names are unique: templates and clients per office, keys per owner.
 */

const LOOK_ALIKES = ['Kun lese', 'Kun Iese', 'Kun lеse']; // the second has a capital I, the third a Cyrillic е
const LYING = {
  'right-to-left override': 'Kun\u202Elese',
  'zero-width space': 'Kun\u200Blese',
  'zero-width joiner': 'Kun\u200Dlese',
  'bell (control)': 'Kun\u0007lese',
  'Hangul filler': 'Kun\u3164lese',
  'line separator': 'Kun\u2028lese',
};

const kit = useWorld({ sessions: ['kari', 'anne'] });

function createTemplate(token: string, name: string) {
  return kit.app.api.request(CREATE_TEMPLATE, { input: { name, permissions: ['CUSTOMER_READ'] } }, { token });
}

function addClient(token: string, name: string) {
  return kit.app.api.request(
    'mutation ($name: String!) { addClient(input: { name: $name }) { company { id name } } }',
    { name },
    { token },
  );
}

function createKeyNamed(name: string, customApplicationName = 'Navnetest') {
  return requestKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    name,
    customApplicationName,
    accessMode: 'CUSTOM',
  });
}

test('“Kun lese”, “Kun Iese” (capital I) and “Kun lеse” (Cyrillic е): only the first is accepted as a template name', async () => {
  // Anne's office has no templates yet
  const results = [];
  for (const name of LOOK_ALIKES) results.push(await createTemplate(kit.token.anne, name));
  expect(results.map(codes)).toEqual([[], ['CONFLICT'], ['CONFLICT']]);
  expect(results[1].errors[0].message).toMatch(/looks the same/);
  const names = expectOk(
    await kit.app.api.request('{ accessTemplates { name } }', {}, { token: kit.token.anne }),
  ).accessTemplates;
  expect(names).toEqual([{ name: 'Kun lese' }]);
  // in Kari's office "Kun lese" exists already (the demo's): both look-alikes are refused there too
  for (const name of LOOK_ALIKES.slice(1)) expectCode(await createTemplate(kit.token.kari, name), 'CONFLICT');
  // nor do spaces, however many and of whatever kind
  expectCode(await createTemplate(kit.token.anne, '  Kun \u00A0 lese '), 'CONFLICT');
});

test('renaming a template to a look-alike of another is refused', async () => {
  const template = expectOk(await createTemplate(kit.token.kari, 'Fakturering')).createAccessTemplate;
  const res = await kit.app.api.request(
    UPDATE_TEMPLATE,
    { id: template.id, input: { name: 'Bokføring' } },
    { token: kit.token.kari },
  );
  expectCode(res, 'CONFLICT');
  const lookAlike = await kit.app.api.request(
    UPDATE_TEMPLATE,
    { id: template.id, input: { name: 'Bоkføring' } }, // Cyrillic о
    { token: kit.token.kari },
  );
  expectCode(lookAlike, 'CONFLICT');
  // keeping its own name (spelled the same) is fine
  expectOk(
    await kit.app.api.request(
      UPDATE_TEMPLATE,
      { id: template.id, input: { name: 'Fakturering' } },
      { token: kit.token.kari },
    ),
  );
});

test('invisible, control and text-direction characters are refused in every name (BAD_USER_INPUT naming the field)', async () => {
  for (const [what, name] of Object.entries(LYING)) {
    const cases = [
      [createTemplate(kit.token.kari, name), 'name'],
      [addClient(kit.token.kari, name), 'name'],
      [createKeyNamed(name), 'name'],
      [createKeyNamed(`Gyldig ${what}`, name), 'customApplicationName'],
      [
        kit.app.api.request(
          'mutation ($name: String!) { createCustomer(input: { name: $name }) { id } }',
          { name },
          {
            token: await kit.app.api.login('admin@bakeri.example'),
          },
        ),
        'name',
      ],
    ] as const;
    for (const [request, field] of cases) {
      const res = await request;
      expect({ what, outcome: outcomeOf(res) }).toEqual({ what, outcome: 'BAD_USER_INPUT' });
      expect(expectCode(res, 'BAD_USER_INPUT').extensions?.fields).toContainEqual({
        field,
        message: expect.stringMatching(/invisible, control or text-direction/),
      });
    }
  }
});

test('names are stored in NFC, with spaces as single ordinary spaces', async () => {
  const decomposed = 'Bokfo\u0308ring\u00A0\u00A0AS'; // o + combining diaeresis, two no-break spaces
  const client = expectOk(await addClient(kit.token.kari, decomposed)).addClient.company;
  expect(client.name).toBe('Bokföring AS');
  expect(client.name).toBe(client.name.normalize('NFC'));
  const key = expectOk(await createKeyNamed('Lo\u0308nn  sync', 'Fo\u0308rste app')).createUserKey.userKey;
  expect(key.name).toBe('Lönn sync');
  expect(key.applicationName).toBe('Första app'.replace('a app', 'e app'));
});

test('client names are unique per office by look-alike, and another office may use the same name', async () => {
  expectOk(await addClient(kit.token.kari, 'Lesbar AS'));
  expectCode(await addClient(kit.token.kari, 'Lesbar  AS'), 'CONFLICT');
  expectCode(await addClient(kit.token.kari, 'Lеsbar AS'), 'CONFLICT'); // Cyrillic е
  expectOk(await addClient(kit.token.anne, 'Lesbar AS'));
});

test('R7: a key’s display name is unique among its owner’s keys that are not revoked, however it is spelled', async () => {
  const first = expectOk(await createKeyNamed('Fiken')).createUserKey.userKey;
  expectCode(await createKeyNamed('Fikеn'), 'CONFLICT'); // Cyrillic е
  expectCode(await createKeyNamed('Fіken'), 'CONFLICT'); // Ukrainian і
  // another owner may use it
  const ola = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.ola.id,
    name: 'Fiken',
    customApplicationName: 'x',
  });
  expect(ola.userKey.name).toBe('Fiken');
  // once the first is revoked, the name is free again
  expectOk(await kit.app.api.request(REVOKE_KEY, { id: first.id }, { token: kit.token.kari }));
  expectOk(await createKeyNamed('Fikеn'));
});
