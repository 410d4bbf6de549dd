import { BULK_LINK, LINK_ONE, VIEWER } from './helpers';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

/** R13 and R14 seen from the linking side (creating keys in depth is tested in test/integration/keys). */

const kit = useWorld({ sessions: ['kari'] });

const CREATE_KEY = `mutation ($input: CreateUserKeyInput!) {
  createUserKey(input: $input) { token userKey { id kind applicationName } }
}`;

async function keyCount(companyId: string): Promise<number> {
  const rows: { n: number | string }[] = await kit.app.server.db.manager.query(
    'SELECT COUNT(*) AS n FROM user_key WHERE company_id = ?',
    [companyId],
  );
  return Number(rows[0].n);
}

const requestKey = (token: string, input: Record<string, unknown>) =>
  kit.app.api.request(CREATE_KEY, { input }, { token });

/** The request is refused as ACCOUNTANT_KEY_NOT_SUPPORTED, and the company has no more keys than before. */
async function expectNoAccountantKey(token: string, companyId: string, input: Record<string, unknown>): Promise<void> {
  const before = await keyCount(companyId);
  expectCode(await requestKey(token, input), 'ACCOUNTANT_KEY_NOT_SUPPORTED');
  expect(await keyCount(companyId)).toBe(before);
}

describe('accountant keys, from the linking side', () => {
  test('R13: only an accounting office makes accountant keys; the office’s key links to a client and acts there', async () => {
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    expectOk(
      await kit.app.api.request(
        'mutation { activateIntegrations(acceptTerms: true) { id } }',
        {},
        { token: bakeriAdmin },
      ),
    );
    await expectNoAccountantKey(bakeriAdmin, kit.world.bakeri.id, {
      employeeId: kit.world.bakeriAdmin.id,
      applicationId: kit.world.apps.fiken.id,
      name: 'Bakeriets regnskapsnøkkel',
      accessMode: 'COPY_EMPLOYEE',
      accountantKey: true,
    });

    const created = await requestKey(kit.token.kari, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.powerOffice.id,
      name: 'PowerOffice for klienter',
      accessMode: 'CUSTOM',
      permissions: ['CUSTOMER_READ', 'INVOICE_READ'],
      accountantKey: true,
    });
    expect(created.errors).toEqual([]);
    const { token, userKey } = created.data.createUserKey;
    expect(userKey.kind).toBe('ACCOUNTANT');
    expectOk(
      await kit.app.api.request(
        LINK_ONE,
        {
          input: { clientId: kit.world.fjordFisk.id, userKeyId: userKey.id, accessTemplateId: kit.world.bokforing.id },
        },
        { token: kit.token.kari },
      ),
    );
    const at = await kit.app.api.request(VIEWER, {}, { token, companyId: kit.world.fjordFisk.id });
    expect(at.errors).toEqual([]);
    expect(at.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'INVOICE_READ']);
  });

  test('R14: no accountant key for an application without support; a custom application name links and works', async () => {
    await expectNoAccountantKey(kit.token.kari, kit.world.office.id, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.timeliste.id,
      name: 'Timeliste for klienter',
      accessMode: 'ALL_ACCESS',
      accountantKey: true,
    });

    const custom = await requestKey(kit.token.kari, {
      employeeId: kit.world.kari.id,
      customApplicationName: 'Eget avstemmingsverktøy',
      name: 'Avstemming',
      accessMode: 'CUSTOM',
      permissions: ['CUSTOMER_READ'],
      accountantKey: true,
    });
    expect(custom.errors).toEqual([]);
    const { token, userKey } = custom.data.createUserKey;
    expect(userKey).toMatchObject({ kind: 'ACCOUNTANT', applicationName: 'Eget avstemmingsverktøy' });
    const linked = await kit.app.api.request(
      BULK_LINK,
      {
        input: {
          clientIds: [kit.world.bakeri.id, kit.world.fjordFisk.id],
          userKeyId: userKey.id,
          accessTemplateId: kit.world.kunLese.id,
        },
      },
      { token: kit.token.kari },
    );
    expect(linked.data.bulkLinkClients.linkedCount).toBe(2);
    for (const companyId of [kit.world.bakeri.id, kit.world.fjordFisk.id]) {
      const at = await kit.app.api.request('{ customers { totalCount } }', {}, { token, companyId });
      expect(at.errors).toEqual([]);
      expect(at.data.customers.totalCount).toBe(2);
    }
  });
});
