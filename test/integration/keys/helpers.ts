import { createHash } from 'node:crypto';
import type { Permission } from '../../../server/src/auth/permission';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import type { Employee } from '../../../server/src/modules/employees/employee.entity';
import { newId } from '../../../server/src/shared/ids';
import type { TestApp } from '../../testkit/app';
import { ViewerDocument } from '../../../client-sdk/src/generated/graphql';
import { expectOk } from '../../testkit/expect';
import { sessionOf } from '../../testkit/run';
import { PASSWORD } from '../../testkit/world';
import { CREATE_KEY, RESTORE_KEY, SET_EMPLOYEE_PERMISSIONS } from './documents';

export interface KeyInput {
  employeeId: string;
  name?: string;
  applicationId?: string;
  customApplicationName?: string;
  accessMode?: 'ALL_ACCESS' | 'COPY_EMPLOYEE' | 'CUSTOM';
  permissions?: Permission[];
  accountantKey?: boolean;
  expiresAt?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses dynamically
export type Json = any;

export interface IssuedKey {
  token: string;
  userKey: Json;
}

/** Asks for a key through the API exactly as given (no defaults): for the refusals of createUserKey. */
export function requestKey(app: TestApp, token: string, input: Record<string, unknown>) {
  return app.api.request(CREATE_KEY, { input }, { token });
}

let keySerial = 0;

/**
 * Creates a key through the API (CUSTOM with no permissions and a custom app unless told
 * otherwise). Without a name it gets a fresh one: an owner's active keys have distinct names.
 */
export async function createKey(app: TestApp, token: string, input: KeyInput): Promise<IssuedKey> {
  const defaults = input.applicationId ? {} : { customApplicationName: 'Test Integration' };
  keySerial += 1;
  const res = await app.api.request(
    CREATE_KEY,
    { input: { name: `Test key ${keySerial}`, accessMode: 'CUSTOM', ...defaults, ...input } },
    { token },
  );
  return expectOk(res).createUserKey;
}

export async function restoreKey(app: TestApp, token: string, id: string): Promise<IssuedKey> {
  return expectOk(await app.api.request(RESTORE_KEY, { id }, { token })).restoreUserKey;
}

export async function setEmployeePermissions(
  app: TestApp,
  token: string,
  employeeId: string,
  permissions: Permission[],
): Promise<void> {
  expectOk(await app.api.request(SET_EMPLOYEE_PERMISSIONS, { employeeId, permissions }, { token }));
}

/** What a credential may do right now, as the server computes it for a request. */
export async function effectiveOf(app: TestApp, token: string): Promise<string[]> {
  return expectOk(await app.api.run(ViewerDocument, {}, { token })).viewer.effectivePermissions;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

let serial = 0;

/** A fresh employee of `company` with exactly these permissions, and a session for them (if LOGIN). */
export async function addEmployee(
  app: TestApp,
  company: Company,
  permissions: Permission[],
  name = 'Test Employee',
): Promise<{ employee: Employee; email: string; session: () => Promise<string> }> {
  serial += 1;
  const email = `person${serial}.${company.id.slice(-6).toLowerCase()}@keys.example`;
  const employee = await app.seed.employee(company, {
    name: `${name} ${serial}`,
    email,
    password: PASSWORD,
    permissions,
  });
  return { employee, email, session: () => sessionOf(app, email) };
}

/** The permissions of a key's permission view (R5) that have the flag set. */
export function grantsWhere(userKey: Json, flag: 'granted' | 'effective' | 'locked'): string[] {
  return (userKey.permissionGrants as Json[]).filter((g) => g[flag]).map((g) => g.permission);
}

/**
 * An audit event written straight into the database, as a change made before a rule existed would
 * have left it (e.g. an office key acting at a client with an administration permission, R22).
 */
export async function recordOldAuditEvent(
  app: TestApp,
  fields: { companyId: string; action: string; actorEmployeeId: string; actorUserKeyId: string; targetId?: string },
): Promise<void> {
  await app.server.db.manager.insert(AuditEvent, {
    id: newId('auditEvent'),
    at: new Date(),
    companyId: fields.companyId,
    actorEmployeeId: fields.actorEmployeeId,
    actorUserKeyId: fields.actorUserKeyId,
    action: fields.action,
    targetType: fields.targetId ? 'Employee' : null,
    targetId: fields.targetId ?? null,
    details: null,
  });
}
