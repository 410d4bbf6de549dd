import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import { CREATE_KEY, REVOKE_KEY, createKey, expectOk, firstError } from '../keys/helpers';
import { CREATE_TEMPLATE, UPDATE_TEMPLATE } from './helpers';

/**
 * Names cannot lie (issue 19, finding 13): every name is stored in NFC; invisible, control and
 * text-direction characters are refused; and names that look alike (Unicode's confusable skeleton)
 * are one name where names are unique: templates and clients per office, keys per owner.
 */

let app: TestApp;
let world: World;
let kari: string;
let anne: string;

const LOOK_ALIKES = ['Kun lese', 'Kun Iese', 'Kun lеse']; // the second has a capital I, the third a Cyrillic е
const LYING = {
  'right-to-left override': 'Kun\u202Elese',
  'zero-width space': 'Kun\u200Blese',
  'zero-width joiner': 'Kun\u200Dlese',
  'bell (control)': 'Kun\u0007lese',
  'Hangul filler': 'Kun\u3164lese',
  'line separator': 'Kun\u2028lese',
};

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
  anne = await app.api.login('anne@annet.example');
});
afterAll(() => app.close());

function createTemplate(token: string, name: string) {
  return app.api.request(CREATE_TEMPLATE, { input: { name, permissions: ['CUSTOMER_READ'] } }, { token });
}

function addClient(token: string, name: string) {
  return app.api.request(
    'mutation ($name: String!) { addClient(input: { name: $name }) { company { id name } } }',
    { name },
    { token },
  );
}

function createKeyNamed(name: string, customApplicationName = 'Navnetest') {
  return app.api.request(
    CREATE_KEY,
    { input: { employeeId: world.kari.id, name, customApplicationName, accessMode: 'CUSTOM' } },
    { token: kari },
  );
}

test('“Kun lese”, “Kun Iese” (capital I) and “Kun lеse” (Cyrillic е): only the first is accepted as a template name', async () => {
  // Anne's office has no templates yet
  const results = [];
  for (const name of LOOK_ALIKES) results.push(await createTemplate(anne, name));
  expect(results.map(codes)).toEqual([[], ['CONFLICT'], ['CONFLICT']]);
  expect(results[1].errors[0].message).toMatch(/looks the same/);
  const names = expectOk(await app.api.request('{ accessTemplates { name } }', {}, { token: anne })).accessTemplates;
  expect(names).toEqual([{ name: 'Kun lese' }]);
  // in Kari's office "Kun lese" exists already (the demo's): both look-alikes are refused there too
  for (const name of LOOK_ALIKES.slice(1)) expect(codes(await createTemplate(kari, name))).toEqual(['CONFLICT']);
  // nor do spaces, however many and of whatever kind
  expect(codes(await createTemplate(anne, '  Kun \u00A0 lese '))).toEqual(['CONFLICT']);
});

test('renaming a template to a look-alike of another is refused', async () => {
  const template = expectOk(await createTemplate(kari, 'Fakturering')).createAccessTemplate;
  const res = await app.api.request(
    UPDATE_TEMPLATE,
    { id: template.id, input: { name: 'Bokføring' } },
    { token: kari },
  );
  expect(codes(res)).toEqual(['CONFLICT']);
  const lookAlike = await app.api.request(
    UPDATE_TEMPLATE,
    { id: template.id, input: { name: 'Bоkføring' } }, // Cyrillic о
    { token: kari },
  );
  expect(codes(lookAlike)).toEqual(['CONFLICT']);
  // keeping its own name (spelled the same) is fine
  expect(
    codes(await app.api.request(UPDATE_TEMPLATE, { id: template.id, input: { name: 'Fakturering' } }, { token: kari })),
  ).toEqual([]);
});

test('invisible, control and text-direction characters are refused in every name (BAD_USER_INPUT naming the field)', async () => {
  for (const [what, name] of Object.entries(LYING)) {
    const cases = [
      [createTemplate(kari, name), 'name'],
      [addClient(kari, name), 'name'],
      [createKeyNamed(name), 'name'],
      [createKeyNamed(`Gyldig ${what}`, name), 'customApplicationName'],
      [
        app.api.request(
          'mutation ($name: String!) { createCustomer(input: { name: $name }) { id } }',
          { name },
          {
            token: await app.api.login('admin@bakeri.example'),
          },
        ),
        'name',
      ],
    ] as const;
    for (const [request, field] of cases) {
      const error = firstError(await request);
      expect({ what, code: error.code }).toEqual({ what, code: 'BAD_USER_INPUT' });
      expect(error.extensions.fields).toContainEqual({
        field,
        message: expect.stringMatching(/invisible, control or text-direction/),
      });
    }
  }
});

test('names are stored in NFC, with spaces as single ordinary spaces', async () => {
  const decomposed = 'Bokfo\u0308ring\u00A0\u00A0AS'; // o + combining diaeresis, two no-break spaces
  const client = expectOk(await addClient(kari, decomposed)).addClient.company;
  expect(client.name).toBe('Bokföring AS');
  expect(client.name).toBe(client.name.normalize('NFC'));
  const key = expectOk(await createKeyNamed('Lo\u0308nn  sync', 'Fo\u0308rste app')).createUserKey.userKey;
  expect(key.name).toBe('Lönn sync');
  expect(key.applicationName).toBe('Första app'.replace('a app', 'e app'));
});

test('client names are unique per office by look-alike, and another office may use the same name', async () => {
  expect(codes(await addClient(kari, 'Lesbar AS'))).toEqual([]);
  expect(codes(await addClient(kari, 'Lesbar  AS'))).toEqual(['CONFLICT']);
  expect(codes(await addClient(kari, 'Lеsbar AS'))).toEqual(['CONFLICT']); // Cyrillic е
  expect(codes(await addClient(anne, 'Lesbar AS'))).toEqual([]);
});

test('R7: a key’s display name is unique among its owner’s keys that are not revoked, however it is spelled', async () => {
  const first = expectOk(await createKeyNamed('Fiken')).createUserKey.userKey;
  expect(codes(await createKeyNamed('Fikеn'))).toEqual(['CONFLICT']); // Cyrillic е
  expect(codes(await createKeyNamed('Fіken'))).toEqual(['CONFLICT']); // Ukrainian і
  // another owner may use it
  const ola = await createKey(app, kari, { employeeId: world.ola.id, name: 'Fiken', customApplicationName: 'x' });
  expect(ola.userKey.name).toBe('Fiken');
  // once the first is revoked, the name is free again
  expectOk(await app.api.request(REVOKE_KEY, { id: first.id }, { token: kari }));
  expect(codes(await createKeyNamed('Fikеn'))).toEqual([]);
});
