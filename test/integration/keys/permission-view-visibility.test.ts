import { Permission } from '../../../server/src/auth/permission';
import { codes } from '../../testkit/graphql-client';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';
import { BULK_LINK } from '../clients/helpers';
import { createKey, recordOldAuditEvent } from './helpers';

/**
 * A key's permission view (R20) is shown only to those who may see the key: not to a colleague
 * without USER_ADMIN through Client.links, nor to a client through its links or its audit log.
 */

const kit = useWorld({ sessions: ['kari'] });

const { PAYROLL_READ, ACCOUNT_ADMIN } = Permission;

/** An accountant key copying Kari's permissions (every one), linked at `clientId` under `templateId` through the API. */
async function linkedCopyOfKari(name: string, applicationId: string, clientId: string, templateId: string) {
  const copy = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    name,
    accountantKey: true,
    applicationId,
    accessMode: 'COPY_EMPLOYEE',
  });
  const input = { clientIds: [clientId], userKeyId: copy.userKey.id, accessTemplateId: templateId };
  expectOk(await kit.app.api.request(BULK_LINK, { input }, { token: kit.token.kari }));
  return copy;
}

describe('a key’s permission view is shown only to those who may see the key (R20)', () => {
  const VIEW = 'permissions effectivePermissions permissionGrants { permission locked }';
  const PERMISSION_FIELDS = ['permissions', 'effectivePermissions', 'permissionGrants { permission locked }'];

  test('R20: a colleague without USER_ADMIN reads neither a key’s permissions nor its owner’s through Client.links', async () => {
    // Kari's key is a copy of Kari's own permissions (every one of them): its permission view is hers
    const copy = await linkedCopyOfKari(
      'Kopi av Kari',
      kit.world.apps.fiken.id,
      kit.world.fjordFisk.id,
      kit.world.kunLese.id,
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
    const switcher = await kit.app.seed.accessTemplate(kit.world.office, 'Bryter', [ACCOUNT_ADMIN]);
    const copy = await linkedCopyOfKari(
      'Kopi for Bakeri',
      kit.world.apps.bankFeed.id,
      kit.world.bakeri.id,
      switcher.id,
    );
    const SWITCH = (fields: string) => `mutation ($office: ID!) {
      setAccountantApiAccess(input: { accountingOfficeId: $office, enabled: true }) { ${fields} } }`;
    // R18 + R22: the key cannot switch Bakeri's API access, whatever the template holds
    expectCode(
      await kit.app.api.request(
        SWITCH('apiAccess'),
        { office: kit.world.office.id },
        { token: copy.token, companyId: kit.world.bakeri.id },
      ),
      'FORBIDDEN',
    );
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
