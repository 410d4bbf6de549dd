import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import { BULK_LINK, LINK_ONE, VIEWER, ok } from './helpers';

/** R13 and R14 seen from the linking side (creating keys in depth is tested in test/integration/keys). */

let app: TestApp;
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

const CREATE_KEY = `mutation ($input: CreateUserKeyInput!) {
  createUserKey(input: $input) { token userKey { id kind applicationName } }
}`;

async function keyCount(companyId: string): Promise<number> {
  const rows: { n: number | string }[] = await app.server.db.manager.query(
    'SELECT COUNT(*) AS n FROM user_key WHERE company_id = ?',
    [companyId],
  );
  return Number(rows[0].n);
}

describe('accountant keys, from the linking side', () => {
  test('R13: only an accounting office makes accountant keys; the office’s key links to a client and acts there', async () => {
    const bakeriAdmin = await app.api.login('admin@bakeri.example');
    ok(
      await app.api.request('mutation { activateIntegrations(acceptTerms: true) { id } }', {}, { token: bakeriAdmin }),
    );
    const before = await keyCount(world.bakeri.id);
    const refused = await app.api.request(
      CREATE_KEY,
      {
        input: {
          employeeId: world.bakeriAdmin.id,
          applicationId: world.apps.fiken.id,
          name: 'Bakeriets regnskapsnøkkel',
          accessMode: 'COPY_EMPLOYEE',
          accountantKey: true,
        },
      },
      { token: bakeriAdmin },
    );
    expect(codes(refused)).toEqual(['ACCOUNTANT_KEY_NOT_SUPPORTED']);
    expect(await keyCount(world.bakeri.id)).toBe(before);

    const created = await app.api.request(
      CREATE_KEY,
      {
        input: {
          employeeId: world.kari.id,
          applicationId: world.apps.powerOffice.id,
          name: 'PowerOffice for klienter',
          accessMode: 'CUSTOM',
          permissions: ['CUSTOMER_READ', 'INVOICE_READ'],
          accountantKey: true,
        },
      },
      { token: kari },
    );
    expect(created.errors).toEqual([]);
    const { token, userKey } = created.data.createUserKey;
    expect(userKey.kind).toBe('ACCOUNTANT');
    ok(
      await app.api.request(
        LINK_ONE,
        { input: { clientId: world.fjordFisk.id, userKeyId: userKey.id, accessTemplateId: world.bokforing.id } },
        { token: kari },
      ),
    );
    const at = await app.api.request(VIEWER, {}, { token, companyId: world.fjordFisk.id });
    expect(at.errors).toEqual([]);
    expect(at.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'INVOICE_READ']);
  });

  test('R14: no accountant key for an application without support; a custom application name links and works', async () => {
    const before = await keyCount(world.office.id);
    const unsupported = await app.api.request(
      CREATE_KEY,
      {
        input: {
          employeeId: world.kari.id,
          applicationId: world.apps.timeliste.id,
          name: 'Timeliste for klienter',
          accessMode: 'ALL_ACCESS',
          accountantKey: true,
        },
      },
      { token: kari },
    );
    expect(codes(unsupported)).toEqual(['ACCOUNTANT_KEY_NOT_SUPPORTED']);
    expect(await keyCount(world.office.id)).toBe(before);

    const custom = await app.api.request(
      CREATE_KEY,
      {
        input: {
          employeeId: world.kari.id,
          customApplicationName: 'Eget avstemmingsverktøy',
          name: 'Avstemming',
          accessMode: 'CUSTOM',
          permissions: ['CUSTOMER_READ'],
          accountantKey: true,
        },
      },
      { token: kari },
    );
    expect(custom.errors).toEqual([]);
    const { token, userKey } = custom.data.createUserKey;
    expect(userKey).toMatchObject({ kind: 'ACCOUNTANT', applicationName: 'Eget avstemmingsverktøy' });
    const linked = await app.api.request(
      BULK_LINK,
      {
        input: {
          clientIds: [world.bakeri.id, world.fjordFisk.id],
          userKeyId: userKey.id,
          accessTemplateId: world.kunLese.id,
        },
      },
      { token: kari },
    );
    expect(linked.data.bulkLinkClients.linkedCount).toBe(2);
    for (const companyId of [world.bakeri.id, world.fjordFisk.id]) {
      const at = await app.api.request('{ customers { totalCount } }', {}, { token, companyId });
      expect(at.errors).toEqual([]);
      expect(at.data.customers.totalCount).toBe(2);
    }
  });
});
