import { Permission } from '../../../server/src/auth/permission';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { codes, type GraphQLResponse } from '../../testkit/graphql-client';
import { ALL_PERMISSIONS } from '../../testkit/world';
import { addEmployee, createKey, requestKey } from '../keys/helpers';
import { SET_EMPLOYEE_PERMISSIONS, VIEWER } from '../keys/documents';
import { useWorld } from '../../testkit/run';
import { expectCode, expectOk } from '../../testkit/expect';

/** Deactivation (R23) and the last administrators (R24). */

const { LOGIN, CUSTOMER_READ, INVOICE_READ, EMPLOYEE_READ, USER_ADMIN, ACCOUNT_ADMIN } = Permission;
const CUSTOMERS = '{ customers(first: 5) { totalCount } }';

const kit = useWorld({ sessions: ['kari'] });

function setPermissions(token: string, employeeId: string, permissions: Permission[]): Promise<GraphQLResponse> {
  return kit.app.api.request(SET_EMPLOYEE_PERMISSIONS, { employeeId, permissions }, { token });
}

let companies = 0;

/** A company of its own, with employees of the given permissions and a session for each. */
async function companyWith(...people: Permission[][]): Promise<{ company: Company; ids: string[]; tokens: string[] }> {
  companies += 1;
  const company = await kit.app.seed.company({ name: `Admin AS ${companies}`, integrationsActive: true });
  const ids: string[] = [];
  const tokens: string[] = [];
  for (const [i, permissions] of people.entries()) {
    const person = await addEmployee(kit.app, company, permissions, `Person ${i}`);
    ids.push(person.employee.id);
    tokens.push(permissions.includes(LOGIN) ? await person.session() : '');
  }
  return { company, ids, tokens };
}

describe('R23: deactivation', () => {
  test('R23: without LOGIN an employee’s sessions and every key they own are refused, saying the owner is deactivated (finding 4)', async () => {
    const ola = await addEmployee(kit.app, kit.world.office, [LOGIN, CUSTOMER_READ, USER_ADMIN], 'Avgang');
    const session = await ola.session();
    const endUser = await createKey(kit.app, kit.token.kari, {
      employeeId: ola.employee.id,
      permissions: [CUSTOMER_READ, USER_ADMIN],
    });
    const accountant = await kit.app.seed.userKey(ola.employee, {
      permissions: [CUSTOMER_READ],
      kind: UserKeyKind.ACCOUNTANT,
      application: kit.world.apps.fiken,
      name: 'Avgangens regnskapsnøkkel',
    });
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, accountant.userKey, kit.world.kunLese);
    expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: accountant.token, companyId: kit.world.bakeri.id }));

    expectOk(await setPermissions(kit.token.kari, ola.employee.id, [CUSTOMER_READ, USER_ADMIN]));

    expectCode(await kit.app.api.request(VIEWER, {}, { token: session }), 'UNAUTHENTICATED');
    for (const [token, companyId] of [
      [endUser.token, undefined],
      [accountant.token, kit.world.bakeri.id],
    ] as const) {
      const res = await kit.app.api.request(CUSTOMERS, {}, { token, companyId });
      expect(expectCode(res, 'UNAUTHENTICATED').message).toMatch(/owner is deactivated/);
    }
    // the keys of the person who left mint nothing
    const minted = await requestKey(kit.app, endUser.token, {
      employeeId: ola.employee.id,
      name: 'Etter avgang',
      accessMode: 'CUSTOM',
      customApplicationName: 'Bakdør',
      permissions: [CUSTOMER_READ],
    });
    expectCode(minted, 'UNAUTHENTICATED');
  });

  test('R23: giving LOGIN back brings the keys back (the session stays ended: log in again)', async () => {
    const ola = await addEmployee(kit.app, kit.world.office, [LOGIN, CUSTOMER_READ], 'Permisjon');
    const session = await ola.session();
    const key = await createKey(kit.app, kit.token.kari, {
      employeeId: ola.employee.id,
      permissions: [LOGIN, CUSTOMER_READ],
    });
    expectOk(await setPermissions(kit.token.kari, ola.employee.id, [CUSTOMER_READ]));
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token: key.token }), 'UNAUTHENTICATED');
    expectOk(await setPermissions(kit.token.kari, ola.employee.id, [LOGIN, CUSTOMER_READ]));
    expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: key.token }));
    expectCode(await kit.app.api.request(VIEWER, {}, { token: session }), 'UNAUTHENTICATED');
    expectOk(await kit.app.api.request(VIEWER, {}, { token: await kit.app.api.login(ola.email) }));
  });
});

describe('R24: the last administrators', () => {
  test('R24: the last active ACCOUNT_ADMIN cannot lose LOGIN or ACCOUNT_ADMIN (CONFLICT)', async () => {
    const { ids, tokens } = await companyWith(ALL_PERMISSIONS, [LOGIN, USER_ADMIN, CUSTOMER_READ]);
    const everythingBut = (p: Permission) => ALL_PERMISSIONS.filter((x) => x !== p);
    for (const lost of [LOGIN, ACCOUNT_ADMIN]) {
      const res = await setPermissions(tokens[0], ids[0], everythingBut(lost));
      expect(expectCode(res, 'CONFLICT').extensions).toMatchObject({ permissions: [ACCOUNT_ADMIN] });
    }
    // with a second active account administrator, either may go
    expectOk(await setPermissions(tokens[0], ids[1], [LOGIN, USER_ADMIN, ACCOUNT_ADMIN, CUSTOMER_READ]));
    expectOk(await setPermissions(tokens[0], ids[0], everythingBut(LOGIN)));
  });

  test('R24: the last active USER_ADMIN cannot lose LOGIN or USER_ADMIN, and an administrator without LOGIN does not count', async () => {
    // the second holds USER_ADMIN but cannot log in: the first is the last active one
    const { ids, tokens } = await companyWith(ALL_PERMISSIONS, [USER_ADMIN, ACCOUNT_ADMIN]);
    for (const permissions of [
      ALL_PERMISSIONS.filter((p) => p !== USER_ADMIN),
      ALL_PERMISSIONS.filter((p) => p !== LOGIN),
    ]) {
      const res = await setPermissions(tokens[0], ids[0], permissions);
      expectCode(res, 'CONFLICT');
    }
    // and giving the second LOGIN makes room
    expectOk(await setPermissions(tokens[0], ids[1], [LOGIN, USER_ADMIN, ACCOUNT_ADMIN]));
    expectOk(
      await setPermissions(
        tokens[0],
        ids[0],
        ALL_PERMISSIONS.filter((p) => p !== USER_ADMIN),
      ),
    );
  });

  test('R24: a user administrator cannot deactivate someone who holds a permission they lack, such as the company’s account administrator (finding 3)', async () => {
    // Una: USER_ADMIN without ACCOUNT_ADMIN; Anders: the only ACCOUNT_ADMIN; Aud: a second one
    const { company, ids, tokens } = await companyWith(
      [LOGIN, USER_ADMIN, EMPLOYEE_READ, CUSTOMER_READ],
      [LOGIN, ACCOUNT_ADMIN, CUSTOMER_READ],
      [LOGIN, ACCOUNT_ADMIN, USER_ADMIN, INVOICE_READ],
    );
    const [, anders, aud] = ids;
    const res = await setPermissions(tokens[0], anders, [ACCOUNT_ADMIN, CUSTOMER_READ]);
    expect(expectCode(res, 'FORBIDDEN').extensions).toMatchObject({ permissions: [ACCOUNT_ADMIN] });
    // Anders can still log in and act
    expectOk(await kit.app.api.request(VIEWER, {}, { token: tokens[1] }));
    // nor Aud, who holds INVOICE_READ and ACCOUNT_ADMIN that Una lacks
    expectCode(await setPermissions(tokens[0], aud, [ACCOUNT_ADMIN, USER_ADMIN, INVOICE_READ]), 'FORBIDDEN');
    // someone who holds nothing beyond Una's own she may deactivate
    const clerk = await addEmployee(kit.app, company, [LOGIN, CUSTOMER_READ], 'Ekspeditør');
    expectOk(await setPermissions(tokens[0], clerk.employee.id, [CUSTOMER_READ]));
  });

  test('R24: two administrators demoting each other at the same moment cannot both succeed', async () => {
    const { ids, tokens } = await companyWith(ALL_PERMISSIONS, ALL_PERMISSIONS);
    const demoted = ALL_PERMISSIONS.filter((p) => p !== USER_ADMIN && p !== ACCOUNT_ADMIN);
    for (let round = 0; round < 10; round++) {
      const [first, second] = await Promise.all([
        setPermissions(tokens[0], ids[1], demoted),
        setPermissions(tokens[1], ids[0], demoted),
      ]);
      const outcomes = [codes(first), codes(second)].map((c) => c.join(','));
      // exactly one went through; the other was refused: it would have left no administrator
      // (CONFLICT), or it arrived after its sender had been demoted (FORBIDDEN)
      expect(outcomes.filter((o) => o === '')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== '')).toEqual([expect.stringMatching(/^(CONFLICT|FORBIDDEN)$/)]);
      const rows: { bits: number | string }[] = await kit.app.server.db.manager.query(
        'SELECT permission_bits AS bits FROM employee WHERE id IN (?, ?)',
        ids,
      );
      const admins = rows.filter((r) => (Number(r.bits) & (1 << 9)) !== 0 && (Number(r.bits) & 1) !== 0);
      expect(admins).toHaveLength(1);
      // the one still an administrator promotes the other again for the next round
      const winner = first.errors.length ? 1 : 0;
      expectOk(await setPermissions(tokens[winner === 0 ? 0 : 1], ids[winner === 0 ? 1 : 0], ALL_PERMISSIONS));
    }
  });
});
