import { Permission } from '../../../server/src/auth/permission';
import { CompanyKind, type Company } from '../../../server/src/modules/companies/company.entity';
import { INTEGRATIONS_TERMS_VERSION } from '../../../server/src/modules/companies/company.service';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { ALL_PERMISSIONS } from '../../testkit/world';
import { addEmployee } from './helpers';
import { ACTIVATE, CREATE_KEY } from './documents';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ seed: false });

let companies = 0;
/** A company that has not activated the add-on, so each test starts from "not active". */
function freshCompany(kind: CompanyKind = CompanyKind.REGULAR): Promise<Company> {
  companies += 1;
  return kit.app.seed.company({ name: `Uaktivert ${companies} AS`, kind, integrationsActive: false });
}

const COMPANY =
  '{ company { integrationsActive integrationsActivatedAt integrationsTermsVersion integrationsActivatedBy { id } } }';

const auditCount = async (companyId: string, action: string) =>
  (
    await kit.app.server.db.manager.query('SELECT id FROM audit_event WHERE company_id = ? AND action = ?', [
      companyId,
      action,
    ])
  ).length as number;

describe('activateIntegrations', () => {
  test('R11: no key can be created before the Integrations add-on is active, and keys can be created after', async () => {
    const company = await freshCompany();
    const admin = await addEmployee(kit.app, company, ALL_PERMISSIONS, 'Admin');
    const token = await admin.session();
    const input = {
      employeeId: admin.employee.id,
      customApplicationName: 'Regnskapsrobot',
      name: 'Robot',
      accessMode: 'CUSTOM',
    };

    const refused = await kit.app.api.request(CREATE_KEY, { input }, { token });
    expectCode(refused, 'INTEGRATIONS_NOT_ACTIVE');
    expect(await kit.app.server.db.manager.countBy(UserKey, { companyId: company.id })).toBe(0);

    expectOk(await kit.app.api.request(ACTIVATE, { accept: true }, { token }));
    const created = expectOk(await kit.app.api.request(CREATE_KEY, { input }, { token }));
    expect(created.createUserKey.userKey.owner.id).toBe(admin.employee.id);
    expect(await kit.app.server.db.manager.countBy(UserKey, { companyId: company.id })).toBe(1);
  });

  test('R11: an employee without ACCOUNT_ADMIN or USER_ADMIN cannot activate (FORBIDDEN, still inactive)', async () => {
    const company = await freshCompany();
    const everythingElse = ALL_PERMISSIONS.filter((p) => p !== Permission.ACCOUNT_ADMIN && p !== Permission.USER_ADMIN);
    const clerk = await addEmployee(kit.app, company, everythingElse, 'Clerk');
    const token = await clerk.session();

    const res = await kit.app.api.request(ACTIVATE, { accept: true }, { token });
    expectCode(res, 'FORBIDDEN');
    const after = expectOk(await kit.app.api.request(COMPANY, {}, { token }));
    expect(after.company.integrationsActive).toBe(false);
    expect(after.company.integrationsActivatedBy).toBeNull();
  });

  test.each([
    ['ACCOUNT_ADMIN', Permission.ACCOUNT_ADMIN],
    ['USER_ADMIN', Permission.USER_ADMIN],
  ])('R11: an employee with only %s (and LOGIN) may activate', async (_label, permission) => {
    const company = await freshCompany();
    const admin = await addEmployee(kit.app, company, [Permission.LOGIN, permission], 'Administrator');
    const res = await kit.app.api.request(ACTIVATE, { accept: true }, { token: await admin.session() });
    expect(expectOk(res).activateIntegrations.integrationsActive).toBe(true);
  });

  test('R11: acceptTerms: false is BAD_USER_INPUT on the acceptTerms field and activates nothing', async () => {
    const company = await freshCompany();
    const admin = await addEmployee(kit.app, company, ALL_PERMISSIONS, 'Admin');
    const token = await admin.session();

    const res = await kit.app.api.request(ACTIVATE, { accept: false }, { token });
    const error = expectCode(res, 'BAD_USER_INPUT');
    expect(error.extensions?.fields).toEqual([{ field: 'acceptTerms', message: expect.stringMatching(/terms/) }]);
    const after = expectOk(await kit.app.api.request(COMPANY, {}, { token }));
    expect(after.company).toEqual({
      integrationsActive: false,
      integrationsActivatedAt: null,
      integrationsTermsVersion: null,
      integrationsActivatedBy: null,
    });
    expect(await auditCount(company.id, 'company.activateIntegrations')).toBe(0);
  });

  test('R11: activation records who activated, when, and which version of the terms', async () => {
    const company = await freshCompany(CompanyKind.ACCOUNTING_OFFICE);
    const admin = await addEmployee(kit.app, company, [Permission.LOGIN, Permission.ACCOUNT_ADMIN], 'Admin');
    const token = await admin.session();
    const before = Date.now();
    const activated = expectOk(await kit.app.api.request(ACTIVATE, { accept: true }, { token })).activateIntegrations;
    const after = Date.now();

    expect(activated.id).toBe(company.id);
    expect(activated.integrationsActivatedBy).toEqual({ id: admin.employee.id });
    expect(activated.integrationsTermsVersion).toBe(INTEGRATIONS_TERMS_VERSION);
    const at = Date.parse(activated.integrationsActivatedAt);
    expect(at).toBeGreaterThanOrEqual(before - 5);
    expect(at).toBeLessThanOrEqual(after + 5);
    // the same record is what the company shows afterwards, and what the database holds
    const shown = expectOk(await kit.app.api.request(COMPANY, {}, { token })).company;
    expect(shown.integrationsActivatedAt).toBe(activated.integrationsActivatedAt);
    const [row] = await kit.app.server.db.manager.query(
      'SELECT integrations_activated_by_id AS who, integrations_terms_version AS terms FROM company WHERE id = ?',
      [company.id],
    );
    expect(row).toEqual({ who: admin.employee.id, terms: INTEGRATIONS_TERMS_VERSION });
  });

  test('activateIntegrations is idempotent: activating again keeps the first who/when and writes no second audit event', async () => {
    const company = await freshCompany();
    const first = await addEmployee(kit.app, company, [Permission.LOGIN, Permission.ACCOUNT_ADMIN], 'First');
    const second = await addEmployee(kit.app, company, [Permission.LOGIN, Permission.USER_ADMIN], 'Second');
    const one = expectOk(await kit.app.api.request(ACTIVATE, { accept: true }, { token: await first.session() }));
    const two = expectOk(await kit.app.api.request(ACTIVATE, { accept: true }, { token: await second.session() }));

    expect(two.activateIntegrations).toEqual(one.activateIntegrations);
    expect(two.activateIntegrations.integrationsActivatedBy).toEqual({ id: first.employee.id });
    expect(await auditCount(company.id, 'company.activateIntegrations')).toBe(1);
  });

  test('activation is per company: activating one company does not activate another', async () => {
    const mine = await freshCompany();
    const theirs = await freshCompany();
    const admin = await addEmployee(kit.app, mine, ALL_PERMISSIONS, 'Admin');
    const theirAdmin = await addEmployee(kit.app, theirs, ALL_PERMISSIONS, 'Their admin');
    expectOk(await kit.app.api.request(ACTIVATE, { accept: true }, { token: await admin.session() }));

    const other = expectOk(await kit.app.api.request(COMPANY, {}, { token: await theirAdmin.session() }));
    expect(other.company.integrationsActive).toBe(false);
    const input = {
      employeeId: theirAdmin.employee.id,
      customApplicationName: 'App',
      name: 'Key',
      accessMode: 'CUSTOM',
    };
    const res = await kit.app.api.request(CREATE_KEY, { input }, { token: await theirAdmin.session() });
    expectCode(res, 'INTEGRATIONS_NOT_ACTIVE');
  });
});
