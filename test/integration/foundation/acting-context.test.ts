import {
  ACTING_COMPANY_COLUMNS,
  ACTING_EMPLOYEE_COLUMNS,
  ACTING_USER_KEY_COLUMNS,
} from '../../../server/src/auth/acting-context';
import { Permission } from '../../../server/src/auth/permission';
import { authenticate } from '../../../server/src/context/authenticate';
import { ClientRelation } from '../../../server/src/modules/clients/client-relation.entity';
import { Company } from '../../../server/src/modules/companies/company.entity';
import { Employee } from '../../../server/src/modules/employees/employee.entity';
import { UserKeySecret } from '../../../server/src/modules/keys/user-key-secret.entity';
import { UserKey, UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { PermissionSet } from '../../../server/src/shared/permission';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';
import { setBlock } from '../reach/helpers';

/*
 * The credential lookup (context/authenticate.ts) selects only the columns authorization reads
 * (auth/acting-context.ts). What the caller is shown of themselves is loaded from the rows; every
 * refusal the lookup feeds still holds, at home and at a client.
 */

const kit = useWorld({ sessions: ['kari', 'bakeriAdmin'] });
const CUSTOMERS = '{ customers(first: 5) { edges { node { id name } } } }';
const VIEWER = `{ viewer {
  employee { id name email }
  userKey { id name applicationName tokenHint allowedNetworks expiresAt kind }
  company { id name orgNumber kind }
  accessTemplate { id name }
  effectivePermissions actingAtClient } }`;

/** A fresh accountant key of a fresh office person, linked to Bakeri under Bokføring. */
async function linkedKey(fields: { allowedNetworks?: string[]; expiresAt?: Date } = {}) {
  const owner = await kit.app.seed.employee(kit.world.office, {
    name: 'Lookup Owner',
    email: `lookup-${Math.random().toString(36).slice(2)}@regnskap.example`,
    password: 'demo-password',
    permissions: Object.values(Permission),
  });
  const key = await kit.app.seed.userKey(owner, {
    name: 'Bakeri sync',
    application: kit.world.apps.fiken,
    permissions: Object.values(Permission),
    kind: UserKeyKind.ACCOUNTANT,
    ...fields,
  });
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, key.userKey, kit.world.bokforing);
  return { owner, ...key };
}

const atBakeri = (token: string) => ({ token, companyId: kit.world.bakeri.id });

// written out, not read from the lists: a column added to a list must be added here on purpose
const PERSON = ['companyId', 'id', 'permissionBits'];
const COMPANY = ['id', 'integrationsActivatedAt', 'kind', 'name'];
const KEY = [
  'allowedNetworksText',
  'companyId',
  'expiresAt',
  'id',
  'kind',
  'lastUsedAt',
  'ownerId',
  'permissionBits',
  'revokedAt',
  'secretHash',
  'secretHolderId',
];

test('the acting context of a key at a client holds only the columns authorization reads: no name, email, password hash or org number', async () => {
  const { token, userKey, owner } = await linkedKey({ allowedNetworks: ['127.0.0.0/8'] });
  const acting = await authenticate(
    kit.app.server.db,
    { authorization: `Bearer ${token}`, companyId: kit.world.bakeri.id },
    { now: new Date(), clientIp: '127.0.0.1' },
  );
  expect(Object.keys(acting.employee!).sort()).toEqual(PERSON);
  expect(Object.keys(acting.userKey!).sort()).toEqual(KEY);
  expect(Object.keys(acting.company!).sort()).toEqual(COMPANY);
  expect(acting.employee!.id).toBe(owner.id);
  expect(acting.userKey!.id).toBe(userKey.id);
  expect(acting.userKey!.allowedNetworks).toEqual(['127.0.0.0/8']);
  expect(acting.company!.id).toBe(kit.world.bakeri.id);
  expect(acting.clientAccess?.template.id).toBe(kit.world.bokforing.id);
  const stored = await kit.app.server.db.manager.findOneByOrFail(Employee, { id: owner.id });
  expect(JSON.stringify(acting)).not.toContain(stored.passwordHash!);
  expect(JSON.stringify(acting)).not.toContain(owner.email!);
});

test('a session’s acting context holds the same narrow person and company', async () => {
  const acting = await authenticate(
    kit.app.server.db,
    { authorization: `Bearer ${kit.token.kari}` },
    { now: new Date(), clientIp: '127.0.0.1' },
  );
  expect(Object.keys(acting.employee!).sort()).toEqual(PERSON);
  expect(Object.keys(acting.company!).sort()).toEqual(COMPANY);
  expect(acting.employee!.permissionSet.has(Permission.LOGIN)).toBe(true);
});

test('the lists the lookup reads are exactly these: what authorization needs, nothing shown to people', () => {
  expect([...ACTING_EMPLOYEE_COLUMNS].sort()).toEqual(PERSON);
  expect([...ACTING_USER_KEY_COLUMNS].sort()).toEqual(KEY);
  expect([...ACTING_COMPANY_COLUMNS].sort()).toEqual(COMPANY);
});

test('viewer shows the person, key and company of a key at a client in full, from their rows', async () => {
  const { token, userKey, owner } = await linkedKey({
    allowedNetworks: ['127.0.0.0/8'],
    expiresAt: new Date('2031-01-01T00:00:00Z'),
  });
  const { viewer } = expectOk<{ viewer: Record<string, Record<string, unknown> | unknown> }>(
    await kit.app.api.request(VIEWER, {}, atBakeri(token)),
  );
  expect(viewer.employee).toEqual({ id: owner.id, name: 'Lookup Owner', email: owner.email });
  expect(viewer.userKey).toEqual({
    id: userKey.id,
    name: 'Bakeri sync',
    applicationName: 'Fiken Sync',
    tokenHint: userKey.tokenHint,
    allowedNetworks: ['127.0.0.0/8'],
    expiresAt: '2031-01-01T00:00:00.000Z',
    kind: 'ACCOUNTANT',
  });
  expect(viewer.company).toEqual({
    id: kit.world.bakeri.id,
    name: kit.world.bakeri.name,
    orgNumber: kit.world.bakeri.orgNumber,
    kind: 'REGULAR',
  });
  expect(viewer.accessTemplate).toEqual({ id: kit.world.bokforing.id, name: 'Bokføring' });
  expect(viewer.actingAtClient).toBe(true);
});

test('the company query shows every asked field of the acting company, at home and at a client', async () => {
  const q = '{ company { id name orgNumber kind integrationsActive } }';
  const home = expectOk<{ company: unknown }>(await kit.app.api.request(q, {}, { token: kit.token.kari }));
  expect(home.company).toEqual({
    id: kit.world.office.id,
    name: kit.world.office.name,
    orgNumber: kit.world.office.orgNumber,
    kind: 'ACCOUNTING_OFFICE',
    integrationsActive: true,
  });
  const { token } = await linkedKey();
  const client = expectOk<{ company: unknown }>(await kit.app.api.request(q, {}, atBakeri(token)));
  expect(client.company).toMatchObject({ id: kit.world.bakeri.id, orgNumber: kit.world.bakeri.orgNumber });
});

test('viewer’s own permissions cost the credential statement alone; person, key and company asked cost one primary-key read each', async () => {
  const { token } = await linkedKey();
  const bare = await kit.app.api.request('{ viewer { effectivePermissions actingAtClient } }', {}, atBakeri(token));
  expectOk(bare);
  expect(bare.statements).toBe(1);
  const full = await kit.app.api.request(VIEWER, {}, atBakeri(token));
  expectOk(full);
  // the credential, the person, the key, the company, and the key's application (its name)
  expect(full.statements).toBe(5);
});

describe('every refusal the narrowed lookup feeds still holds at a client', () => {
  const db = () => kit.app.server.db.manager;

  test('R10: a revoked key and an expired key are refused', async () => {
    const revoked = await linkedKey();
    await db().update(UserKey, { id: revoked.userKey.id }, { revokedAt: new Date(Date.now() - 1000) });
    expectCode(await kit.app.api.request(CUSTOMERS, {}, atBakeri(revoked.token)), 'UNAUTHENTICATED');
    const expired = await linkedKey();
    await db().update(UserKey, { id: expired.userKey.id }, { expiresAt: new Date(Date.now() - 1000) });
    expectCode(await kit.app.api.request(CUSTOMERS, {}, atBakeri(expired.token)), 'UNAUTHENTICATED');
  });

  test('R28: a secret past its window is refused, though its key is active', async () => {
    const key = await linkedKey();
    expectOk(await kit.app.api.request(CUSTOMERS, {}, atBakeri(key.token)));
    await db().update(UserKeySecret, { userKeyId: key.userKey.id }, { expiresAt: new Date(Date.now() - 1000) });
    expectCode(await kit.app.api.request(CUSTOMERS, {}, atBakeri(key.token)), 'UNAUTHENTICATED');
  });

  test('R23: a key whose owner lost LOGIN is refused', async () => {
    const key = await linkedKey();
    const without = PermissionSet.of(Object.values(Permission).filter((p) => p !== Permission.LOGIN));
    await db().update(Employee, { id: key.owner.id }, { permissionBits: without.bits });
    expectCode(await kit.app.api.request(CUSTOMERS, {}, atBakeri(key.token)), 'UNAUTHENTICATED');
  });

  test('R30: a key used from outside its networks is refused', async () => {
    const key = await linkedKey({ allowedNetworks: ['10.0.0.0/8'] });
    expectCode(await kit.app.api.request(CUSTOMERS, {}, atBakeri(key.token)), 'NETWORK_NOT_ALLOWED');
  });

  test('R18: a client that turned its API access off refuses the key, not the person', async () => {
    const key = await linkedKey();
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, key.owner, kit.world.kunLese);
    const session = await kit.app.api.login(key.owner.email!);
    const where = { officeId: kit.world.office.id, clientId: kit.world.bakeri.id };
    await db().update(ClientRelation, where, { apiAccess: false });
    try {
      expectCode(await kit.app.api.request(CUSTOMERS, {}, atBakeri(key.token)), 'CLIENT_API_ACCESS_DISABLED');
      // the person's session follows their link and its template
      const viewer = expectOk<{ viewer: { effectivePermissions: string[]; company: { id: string } } }>(
        await kit.app.api.request('{ viewer { effectivePermissions company { id } } }', {}, atBakeri(session)),
      );
      expect(viewer.viewer.company.id).toBe(kit.world.bakeri.id);
      expect([...viewer.viewer.effectivePermissions].sort()).toEqual(
        [...kit.world.kunLese.permissionSet.toArray()].sort(),
      );
      expectOk(await kit.app.api.request(CUSTOMERS, {}, atBakeri(session)));
    } finally {
      await db().update(ClientRelation, where, { apiAccess: true });
    }
    expectOk(await kit.app.api.request(CUSTOMERS, {}, atBakeri(key.token)));
  });

  test('R33: a key the client blocked is refused, and its office’s other keys are not', async () => {
    const [blocked, other] = [await linkedKey(), await linkedKey()];
    await setBlock(kit.app, kit.token.bakeriAdmin, {
      officeId: kit.world.office.id,
      userKeyId: blocked.userKey.id,
      blocked: true,
    });
    expectCode(await kit.app.api.request(CUSTOMERS, {}, atBakeri(blocked.token)), 'BLOCKED_BY_CLIENT');
    expectOk(await kit.app.api.request(CUSTOMERS, {}, atBakeri(other.token)));
  });

  test('R12: an office whose Integrations add-on is off has no key act at its clients', async () => {
    const key = await linkedKey();
    const activatedAt = kit.world.office.integrationsActivatedAt;
    await db().update(Company, { id: kit.world.office.id }, { integrationsActivatedAt: null });
    try {
      expectCode(await kit.app.api.request(CUSTOMERS, {}, atBakeri(key.token)), 'INTEGRATIONS_NOT_ACTIVE');
    } finally {
      await db().update(Company, { id: kit.world.office.id }, { integrationsActivatedAt: activatedAt });
    }
  });

  test('R17: at a client the key has no more than its template gives', async () => {
    const key = await linkedKey();
    const viewer = expectOk<{ viewer: { effectivePermissions: string[] } }>(
      await kit.app.api.request('{ viewer { effectivePermissions } }', {}, atBakeri(key.token)),
    );
    expect([...viewer.viewer.effectivePermissions].sort()).toEqual(
      [...kit.world.bokforing.permissionSet.toArray()].sort(),
    );
  });
});
