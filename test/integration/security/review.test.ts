import { Permission } from '../../../server/src/auth/permission';
import { codes } from '../../testkit/graphql-client';
import { BULK_LINK } from '../clients/helpers';
import { RESTORE_KEY, addEmployee, createKey, recordOldAuditEvent, type IssuedKey } from '../keys/helpers';
import { useWorld } from '../../testkit/run';
import { expectCode, expectOk } from '../../testkit/expect';

/** Findings of the pre-release security review, each proven by a request an attacker could send. */

const kit = useWorld({ sessions: ['kari'] });

const { LOGIN, CUSTOMER_READ, INVOICE_READ, EMPLOYEE_READ, PAYROLL_READ, USER_ADMIN, ACCOUNT_ADMIN, CLIENT_ADMIN } =
  Permission;

const CUSTOMERS = '{ customers(first: 10) { totalCount } }';

/** An accountant key of Kari's holding only CUSTOMER_READ, linked through the API to Bakeri under "Kun lese". */
async function linkedAccountantKey(name: string): Promise<IssuedKey> {
  const key = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    name,
    accountantKey: true,
    permissions: [CUSTOMER_READ],
  });
  expectOk(
    await kit.app.api.request(
      BULK_LINK,
      {
        input: { clientIds: [kit.world.bakeri.id], userKeyId: key.userKey.id, accessTemplateId: kit.world.kunLese.id },
      },
      { token: kit.token.kari },
    ),
  );
  expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: key.token, companyId: kit.world.bakeri.id }));
  return key;
}

describe('restoring an accountant key hands out its reach at clients (R6, R15)', () => {
  test('R15: an end-user key cannot restore its owner’s linked accountant key and so act at the client', async () => {
    const linked = await linkedAccountantKey('Fiken for Bakeri');
    // an end-user key of Kari's that can do more at home than the accountant key holds, but nothing at clients
    const endUser = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, CUSTOMER_READ, INVOICE_READ],
    });
    expectCode(
      await kit.app.api.request(CUSTOMERS, {}, { token: endUser.token, companyId: kit.world.bakeri.id }),
      'FORBIDDEN',
    );

    const res = await kit.app.api.request(RESTORE_KEY, { id: linked.userKey.id }, { token: endUser.token });
    expectCode(res, 'FORBIDDEN');
    expect(JSON.stringify(res.data ?? {})).not.toMatch(/nkl_[0-9A-Za-z]{49}/);
    // nothing was replaced: the integration that holds the secret keeps working
    expect(
      codes(await kit.app.api.request(CUSTOMERS, {}, { token: linked.token, companyId: kit.world.bakeri.id })),
    ).toEqual([]);
  });

  test('R6: a user administrator with no access at a client cannot restore a key linked there', async () => {
    const linked = await linkedAccountantKey('PowerOffice for Bakeri');
    const una = await addEmployee(kit.app, kit.world.office, [LOGIN, USER_ADMIN, EMPLOYEE_READ, CUSTOMER_READ], 'Una');
    const unaToken = await una.session();
    expectCode(
      await kit.app.api.request(CUSTOMERS, {}, { token: unaToken, companyId: kit.world.bakeri.id }),
      'FORBIDDEN',
    );

    expectCode(await kit.app.api.request(RESTORE_KEY, { id: linked.userKey.id }, { token: unaToken }), 'FORBIDDEN');
    expect(
      codes(await kit.app.api.request(CUSTOMERS, {}, { token: linked.token, companyId: kit.world.bakeri.id })),
    ).toEqual([]);
  });

  test('R6: who may give client access (CLIENT_ADMIN), and the owner in person, may still restore a linked key', async () => {
    const byClientAdmin = await linkedAccountantKey('Bank Feed for Bakeri');
    const clientAdmin = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [CUSTOMER_READ, CLIENT_ADMIN],
    });
    const restored = expectOk(
      await kit.app.api.request(RESTORE_KEY, { id: byClientAdmin.userKey.id }, { token: clientAdmin.token }),
    );
    const atBakeri = { token: restored.restoreUserKey.token, companyId: kit.world.bakeri.id };
    expectOk(await kit.app.api.request(CUSTOMERS, {}, atBakeri));

    const byOwner = await linkedAccountantKey('Fiken (Kari) for Bakeri');
    expectOk(await kit.app.api.request(RESTORE_KEY, { id: byOwner.userKey.id }, { token: kit.token.kari }));

    // an accountant key linked nowhere has no reach to hand out: restoring it needs no more than before
    const unlinked = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      accountantKey: true,
      permissions: [CUSTOMER_READ],
    });
    const endUser = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [CUSTOMER_READ],
    });
    expectOk(await kit.app.api.request(RESTORE_KEY, { id: unlinked.userKey.id }, { token: endUser.token }));
  });
});

describe('a key’s permission view is shown only to those who may see the key (R20)', () => {
  const VIEW = 'permissions effectivePermissions permissionGrants { permission locked }';
  const PERMISSION_FIELDS = ['permissions', 'effectivePermissions', 'permissionGrants { permission locked }'];

  test('R20: a colleague without USER_ADMIN reads neither a key’s permissions nor its owner’s through Client.links', async () => {
    // Kari's key is a copy of Kari's own permissions (every one of them): its permission view is hers
    const copy = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      name: 'Kopi av Kari',
      accountantKey: true,
      applicationId: kit.world.apps.fiken.id,
      accessMode: 'COPY_EMPLOYEE',
    });
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        {
          input: {
            clientIds: [kit.world.fjordFisk.id],
            userKeyId: copy.userKey.id,
            accessTemplateId: kit.world.kunLese.id,
          },
        },
        { token: kit.token.kari },
      ),
    );
    // Per manages client links (CLIENT_ADMIN) but is not a user administrator and may not read employees
    const per = await kit.app.api.login('per@regnskap.example');
    expect(
      expectOk(await kit.app.api.request('{ userKeys(first: 50) { totalCount } }', {}, { token: per })).userKeys,
    ).toEqual({ totalCount: 0 });
    const linksOf = (fields: string) =>
      kit.app.api.request(
        `{ clients(search: "Fjord Fisk", first: 5) { edges { node { links(first: 10) { edges { node {
           userKey { id ${fields} } } } } } } } }`,
        {},
        { token: per },
      );
    for (const field of PERMISSION_FIELDS) {
      const res = await linksOf(field);
      expect(codes(res)).toContain('FORBIDDEN');
      expect(JSON.stringify(res.data)).not.toMatch(/PAYROLL_READ|ACCOUNT_ADMIN|"locked"/);
    }
    // which keys are linked at a client stays visible to the one who manages the links
    const listed = expectOk(await linksOf('name'));
    expect(JSON.stringify(listed)).toContain(copy.userKey.id);

    // Kari, a user administrator, and the key itself still see it
    const mine = await kit.app.api.request(
      `query ($id: ID!) { userKey(id: $id) { ${VIEW} } }`,
      { id: copy.userKey.id },
      {
        token: kit.token.kari,
      },
    );
    expect(mine.errors).toEqual([]);
    expect(mine.data.userKey.permissions).toContain(PAYROLL_READ);
  });

  test('R20: a client reads neither through its links nor through its audit log what its office’s key holds', async () => {
    // a copy of Kari's permissions (every one), linked at Bakeri under a template from before R22
    // (written straight into the database) that holds ACCOUNT_ADMIN
    const copy = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      name: 'Kopi for Bakeri',
      accountantKey: true,
      applicationId: kit.world.apps.bankFeed.id,
      accessMode: 'COPY_EMPLOYEE',
    });
    const switcher = await kit.app.seed.accessTemplate(kit.world.office, 'Bryter', [ACCOUNT_ADMIN]);
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        { input: { clientIds: [kit.world.bakeri.id], userKeyId: copy.userKey.id, accessTemplateId: switcher.id } },
        { token: kit.token.kari },
      ),
    );
    const SWITCH = (fields: string) => `mutation ($office: ID!) {
      setAccountantApiAccess(input: { accountingOfficeId: $office, enabled: true }) { ${fields} } }`;
    // R18 + R22: the key cannot switch Bakeri's API access, whatever the template holds
    expect(
      codes(
        await kit.app.api.request(
          SWITCH('apiAccess'),
          { office: kit.world.office.id },
          { token: copy.token, companyId: kit.world.bakeri.id },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    // an entry it left in Bakeri's audit log before those rules, with the key as its actor
    await recordOldAuditEvent(kit.app, {
      companyId: kit.world.bakeri.id,
      action: 'client.setApiAccess',
      actorEmployeeId: kit.world.kari.id,
      actorUserKeyId: copy.userKey.id,
    });

    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    const throughLinks = await kit.app.api.request(
      SWITCH('links(first: 50) { edges { node { userKey { id permissions } } } }'),
      { office: kit.world.office.id },
      { token: bakeriAdmin },
    );
    const throughAudit = await kit.app.api.request(
      '{ auditEvents(first: 100) { edges { node { action actorUserKey { id permissions } } } } }',
      {},
      { token: bakeriAdmin },
    );
    for (const res of [throughLinks, throughAudit]) {
      expect(codes(res)).toContain('FORBIDDEN');
      expect(JSON.stringify(res.data)).not.toMatch(/PAYROLL_READ|USER_ADMIN|CLIENT_ADMIN/);
    }
    // who acted stays on record
    const named = expectOk(
      await kit.app.api.request(
        '{ auditEvents(first: 100) { edges { node { actorUserKey { id name } } } } }',
        {},
        {
          token: bakeriAdmin,
        },
      ),
    );
    expect(JSON.stringify(named)).toContain(copy.userKey.id);
  });
});
