import { Permission } from '../../../server/src/auth/permission';
import { Company } from '../../../server/src/modules/companies/company.entity';
import { ALL_PERMISSIONS } from '../../testkit/world';
import { effectiveOf, grantsWhere, type Json } from './helpers';
import { ACTIVATE, CREATE_KEY, RESTORE_KEY, SET_KEY_PERMISSIONS, VIEWER } from './documents';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

/**
 * The help article (seed/api-tilgang.no.txt), steps 1–3 and its two FAQ answers, walked with the
 * demo world: Kari (every permission) sets up a key on Ola, who may only log in and register hours.
 * The steps build on each other and run in order.
 */
const { LOGIN, HOURS_REGISTER, CUSTOMER_READ } = Permission;

let key: { id: string; token: string };

const kit = useWorld({ sessions: ['kari', 'ola'] });
beforeAll(async () => {
  // the demo data has the add-on on; the walkthrough starts before step 1
  await kit.app.server.db.manager.update(
    Company,
    { id: kit.world.office.id },
    { integrationsActivatedAt: null, integrationsActivatedById: null, integrationsTermsVersion: null },
  );
});

const NEW_KEY = {
  employeeId: '',
  applicationId: '',
  name: 'Timeføring',
  accessMode: 'ALL_ACCESS',
};
const REGISTER_HOURS = `mutation { registerHours(input: { date: "2026-11-05", hours: 7.5, description: "Via API" }) {
  hours employee { id } } }`;
const CUSTOMERS = '{ customers(first: 5) { totalCount } }';

describe('help article: API-tilgang', () => {
  test('step 1 (Aktivere Integrasjoner): keys wait for the add-on, which an administrator activates after accepting the terms', async () => {
    const input = { ...NEW_KEY, employeeId: kit.world.ola.id, applicationId: kit.world.apps.timeliste.id };
    expectCode(await kit.app.api.request(CREATE_KEY, { input }, { token: kit.token.kari }), 'INTEGRATIONS_NOT_ACTIVE');
    // "Dette gjøres av en konto- eller brukeradministrator"
    expectCode(await kit.app.api.request(ACTIVATE, { accept: true }, { token: kit.token.ola }), 'FORBIDDEN');
    // "Les gjennom vilkårene og klikk på «Aktiver»"
    expectCode(await kit.app.api.request(ACTIVATE, { accept: false }, { token: kit.token.kari }), 'BAD_USER_INPUT');
    const activated = expectOk(
      await kit.app.api.request(ACTIVATE, { accept: true }, { token: kit.token.kari }),
    ).activateIntegrations;
    expect(activated).toMatchObject({
      id: kit.world.office.id,
      integrationsActive: true,
      integrationsActivatedBy: { id: kit.world.kari.id },
    });
    // "ikke nødvendig å aktivere hos klienten"
    const client = await kit.app.server.db.manager.findOneByOrFail(Company, { id: kit.world.bakeri.id });
    expect(client.integrationsActive).toBe(false);
  });

  test('step 2 (Opprette brukernøkkel): a key on Ola with "Alle tilganger" can never do more than Ola — the rest is locked', async () => {
    const input = { ...NEW_KEY, employeeId: kit.world.ola.id, applicationId: kit.world.apps.timeliste.id };
    const created = expectOk(await kit.app.api.request(CREATE_KEY, { input }, { token: kit.token.kari })).createUserKey;
    key = { id: created.userKey.id, token: created.token };

    expect(created.userKey.owner.id).toBe(kit.world.ola.id);
    expect(created.userKey.permissions).toEqual(ALL_PERMISSIONS);
    expect(created.userKey.effectivePermissions).toEqual([LOGIN, HOURS_REGISTER]);
    expect(grantsWhere(created.userKey, 'locked')).toEqual(
      ALL_PERMISSIONS.filter((p) => p !== LOGIN && p !== HOURS_REGISTER),
    );
  });

  test('step 3 (Employee token): the key is shown once, appears in the overview, and works within Ola’s access', async () => {
    expect(key.token).toMatch(/^nkl_[0-9A-Za-z]{49}$/);
    // "Applikasjonen vil nå dukke opp i oversikten over API brukernøkler"
    const overview = expectOk(
      await kit.app.api.request(
        `query ($f: UserKeyFilter) { userKeys(filter: $f) { totalCount edges { node {
          id applicationName name kind status tokenHint owner { name } } } } }`,
        { f: { employeeId: kit.world.ola.id } },
        { token: kit.token.kari },
      ),
    ).userKeys;
    expect(overview.edges.map((e: Json) => e.node)).toEqual([
      {
        id: key.id,
        applicationName: 'Timeliste Pro',
        name: 'Timeføring',
        kind: 'EMPLOYEE',
        status: 'ACTIVE',
        tokenHint: `nkl_…${key.token.slice(-4)}`,
        owner: { name: 'Ola Hansen' },
      },
    ]);
    // "Legg inn brukernøkkelen i integrasjonen": it registers Ola's hours, and reads nothing Ola cannot
    const hours = expectOk(await kit.app.api.request(REGISTER_HOURS, {}, { token: key.token })).registerHours;
    expect(hours).toEqual({ hours: 7.5, employee: { id: kit.world.ola.id } });
    const customers = await kit.app.api.request(CUSTOMERS, {}, { token: key.token });
    expectCode(customers, 'FORBIDDEN');
    expect(customers.errors[0].extensions?.requiredPermission).toEqual([CUSTOMER_READ]);
  });

  test('FAQ "Hvor finner jeg brukernøkkel tilganger?": the key’s permissions can be edited, but never past Ola’s', async () => {
    const trimmed = expectOk(
      await kit.app.api.request(
        SET_KEY_PERMISSIONS,
        { id: key.id, permissions: [LOGIN, HOURS_REGISTER] },
        { token: kit.token.kari },
      ),
    ).setUserKeyPermissions;
    expect(grantsWhere(trimmed, 'granted')).toEqual([LOGIN, HOURS_REGISTER]);
    // "Du kan ikke gi brukernøkkelen tilgang til noe brukeren … ikke har fra før"
    const refused = expectCode(
      await kit.app.api.request(
        SET_KEY_PERMISSIONS,
        { id: key.id, permissions: [LOGIN, HOURS_REGISTER, CUSTOMER_READ] },
        { token: kit.token.kari },
      ),
      'PERMISSION_CEILING_EXCEEDED',
    );
    expect(refused.extensions?.permissions).toEqual([CUSTOMER_READ]);
    expect(await effectiveOf(kit.app, key.token)).toEqual([LOGIN, HOURS_REGISTER]);
  });

  test('FAQ "Jeg har glemt/mistet brukernøkkelen": «Gjenopprett nøkkel» gives a new key that replaces the old one', async () => {
    // Ola finds the key on her own employee card and restores it herself
    const card = expectOk(
      await kit.app.api.request(
        '{ viewer { employee { userKeys(first: 10) { edges { node { id } } } } } }',
        {},
        { token: kit.token.ola },
      ),
    );
    expect(card.viewer.employee.userKeys.edges).toEqual([{ node: { id: key.id } }]);
    const restored = expectOk(
      await kit.app.api.request(RESTORE_KEY, { id: key.id }, { token: kit.token.ola }),
    ).restoreUserKey;

    expect(restored.userKey.id).toBe(key.id);
    expect(restored.token).not.toBe(key.token);
    expectCode(await kit.app.api.request(VIEWER, {}, { token: key.token }), 'UNAUTHENTICATED');
    // "Legg inn den nye brukernøkkelen i integrasjonen"
    expect(
      expectOk(await kit.app.api.request(REGISTER_HOURS, {}, { token: restored.token })).registerHours.employee.id,
    ).toBe(kit.world.ola.id);
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token: restored.token }), 'FORBIDDEN');
  });
});
