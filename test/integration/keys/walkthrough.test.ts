import { Permission } from '../../../server/src/auth/permission';
import { Company } from '../../../server/src/modules/companies/company.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { ALL_PERMISSIONS, buildWorld, type World } from '../../testkit/world';
import {
  ACTIVATE,
  CREATE_KEY,
  RESTORE_KEY,
  SET_KEY_PERMISSIONS,
  VIEWER,
  effectiveOf,
  expectOk,
  firstError,
  grantsWhere,
  sessionOf,
  type Json,
} from './helpers';

/**
 * The help article (seed/api-tilgang.no.txt), steps 1–3 and its two FAQ answers, walked with the
 * demo world: Kari (every permission) sets up a key on Ola, who may only log in and register hours.
 * The steps build on each other and run in order.
 */
const { LOGIN, HOURS_REGISTER, CUSTOMER_READ } = Permission;

let app: TestApp;
let world: World;
let kari: string;
let ola: string;
let key: { id: string; token: string };

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  // the demo data has the add-on on; the walkthrough starts before step 1
  await app.server.db.manager.update(
    Company,
    { id: world.office.id },
    { integrationsActivatedAt: null, integrationsActivatedById: null, integrationsTermsVersion: null },
  );
  kari = await sessionOf(app, 'kari@regnskap.example');
  ola = await sessionOf(app, 'ola@regnskap.example');
});
afterAll(() => app.close());

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
    const input = { ...NEW_KEY, employeeId: world.ola.id, applicationId: world.apps.timeliste.id };
    expect(codes(await app.api.request(CREATE_KEY, { input }, { token: kari }))).toEqual(['INTEGRATIONS_NOT_ACTIVE']);
    // "Dette gjøres av en konto- eller brukeradministrator"
    expect(codes(await app.api.request(ACTIVATE, { accept: true }, { token: ola }))).toEqual(['FORBIDDEN']);
    // "Les gjennom vilkårene og klikk på «Aktiver»"
    expect(firstError(await app.api.request(ACTIVATE, { accept: false }, { token: kari })).code).toBe('BAD_USER_INPUT');
    const activated = expectOk(await app.api.request(ACTIVATE, { accept: true }, { token: kari })).activateIntegrations;
    expect(activated).toMatchObject({
      id: world.office.id,
      integrationsActive: true,
      integrationsActivatedBy: { id: world.kari.id },
    });
    // "ikke nødvendig å aktivere hos klienten"
    const client = await app.server.db.manager.findOneByOrFail(Company, { id: world.bakeri.id });
    expect(client.integrationsActive).toBe(false);
  });

  test('step 2 (Opprette brukernøkkel): a key on Ola with "Alle tilganger" can never do more than Ola — the rest is locked', async () => {
    const input = { ...NEW_KEY, employeeId: world.ola.id, applicationId: world.apps.timeliste.id };
    const created = expectOk(await app.api.request(CREATE_KEY, { input }, { token: kari })).createUserKey;
    key = { id: created.userKey.id, token: created.token };

    expect(created.userKey.owner.id).toBe(world.ola.id);
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
      await app.api.request(
        `query ($f: UserKeyFilter) { userKeys(filter: $f) { totalCount edges { node {
          id applicationName name kind status tokenHint owner { name } } } } }`,
        { f: { employeeId: world.ola.id } },
        { token: kari },
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
    const hours = expectOk(await app.api.request(REGISTER_HOURS, {}, { token: key.token })).registerHours;
    expect(hours).toEqual({ hours: 7.5, employee: { id: world.ola.id } });
    const customers = await app.api.request(CUSTOMERS, {}, { token: key.token });
    expect(codes(customers)).toEqual(['FORBIDDEN']);
    expect(customers.errors[0].extensions?.requiredPermission).toEqual([CUSTOMER_READ]);
  });

  test('FAQ "Hvor finner jeg brukernøkkel tilganger?": the key’s permissions can be edited, but never past Ola’s', async () => {
    const trimmed = expectOk(
      await app.api.request(SET_KEY_PERMISSIONS, { id: key.id, permissions: [LOGIN, HOURS_REGISTER] }, { token: kari }),
    ).setUserKeyPermissions;
    expect(grantsWhere(trimmed, 'granted')).toEqual([LOGIN, HOURS_REGISTER]);
    // "Du kan ikke gi brukernøkkelen tilgang til noe brukeren … ikke har fra før"
    const refused = firstError(
      await app.api.request(
        SET_KEY_PERMISSIONS,
        { id: key.id, permissions: [LOGIN, HOURS_REGISTER, CUSTOMER_READ] },
        { token: kari },
      ),
    );
    expect(refused.code).toBe('PERMISSION_CEILING_EXCEEDED');
    expect(refused.extensions.permissions).toEqual([CUSTOMER_READ]);
    expect(await effectiveOf(app, key.token)).toEqual([LOGIN, HOURS_REGISTER]);
  });

  test('FAQ "Jeg har glemt/mistet brukernøkkelen": «Gjenopprett nøkkel» gives a new key that replaces the old one', async () => {
    // Ola finds the key on her own employee card and restores it herself
    const card = expectOk(
      await app.api.request(
        '{ viewer { employee { userKeys(first: 10) { edges { node { id } } } } } }',
        {},
        { token: ola },
      ),
    );
    expect(card.viewer.employee.userKeys.edges).toEqual([{ node: { id: key.id } }]);
    const restored = expectOk(await app.api.request(RESTORE_KEY, { id: key.id }, { token: ola })).restoreUserKey;

    expect(restored.userKey.id).toBe(key.id);
    expect(restored.token).not.toBe(key.token);
    expect(codes(await app.api.request(VIEWER, {}, { token: key.token }))).toEqual(['UNAUTHENTICATED']);
    // "Legg inn den nye brukernøkkelen i integrasjonen"
    expect(
      expectOk(await app.api.request(REGISTER_HOURS, {}, { token: restored.token })).registerHours.employee.id,
    ).toBe(world.ola.id);
    expect(codes(await app.api.request(CUSTOMERS, {}, { token: restored.token }))).toEqual(['FORBIDDEN']);
  });
});
