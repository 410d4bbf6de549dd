import type { Database } from '../db/database';
import { ClientLink } from '../modules/clients/client-link.entity';
import { ClientRelation } from '../modules/clients/client-relation.entity';
import type { Company } from '../modules/companies/company.entity';
import type { Employee } from '../modules/employees/employee.entity';
import { effectiveAtClient, effectiveAtHome } from '../modules/keys/key-rules';
import { UserKey, UserKeyKind, UserKeyStatus } from '../modules/keys/user-key.entity';
import { Session } from '../modules/sessions/session.entity';
import {
  BadUserInput,
  ClientApiAccessDisabled,
  Forbidden,
  IntegrationsNotActive,
  Unauthenticated,
} from '../shared/errors';
import { isIdOf } from '../shared/ids';
import { ActingContext } from './acting-context';
import { Permission, PermissionSet } from './permission';
import { KEY_PREFIX, SESSION_PREFIX, hashSecret, recogniseSecret } from './secrets';

export interface CredentialHeaders {
  authorization?: string;
  companyId?: string;
}

export interface AuthenticateOptions {
  now: Date;
  /** Called with a key that authenticated, for its lastUsedAt (kept off the request's path). */
  onKeyUsed?: (key: UserKey, now: Date) => void;
}

/** Reads `Authorization: Bearer <token>`; any other shape of the header is refused. */
function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!m) throw new Unauthenticated('The Authorization header must be `Bearer <token>`.');
  return m[1];
}

function targetCompanyId(header: string | undefined, homeCompanyId: string): string | null {
  if (header === undefined || header === '' || header === homeCompanyId) return null;
  if (!isIdOf('company', header)) throw new BadUserInput([{ field: 'X-Company-Id', message: 'must be a Company.id' }]);
  return header;
}

function notActingThere(companyId: string): Forbidden {
  // the same answer whether or not the company exists: no existence leaks across tenants
  return new Forbidden(`This credential has no access to company ${companyId}.`);
}

/**
 * Builds the acting context of a request from its credential and X-Company-Id (SPEC section 3):
 * who is calling, in which company, with which effective permissions (R3, R15, R17).
 */
export async function authenticate(
  db: Database,
  headers: CredentialHeaders,
  options: AuthenticateOptions,
): Promise<ActingContext> {
  const token = bearerToken(headers.authorization);
  if (token === null) return ActingContext.anonymous();
  const prefix = recogniseSecret(token);
  if (prefix === SESSION_PREFIX) return authenticateSession(db, token, headers.companyId, options.now);
  if (prefix === KEY_PREFIX) return authenticateKey(db, token, headers.companyId, options);
  throw new Unauthenticated('The bearer token is not a Nøkkel session token or key secret.');
}

async function authenticateSession(
  db: Database,
  token: string,
  companyHeader: string | undefined,
  now: Date,
): Promise<ActingContext> {
  const session = await db.manager
    .createQueryBuilder(Session, 's')
    .innerJoinAndSelect('s.employee', 'e')
    .innerJoinAndSelect('e.company', 'c')
    .where('s.tokenHash = :hash', { hash: hashSecret(token) })
    .getOne();
  if (!session?.employee?.company || session.expiresAt.getTime() <= now.getTime()) {
    throw new Unauthenticated('The session has expired or was logged out. Log in again.');
  }
  const employee = session.employee;
  const own = employee.permissionSet;
  if (!own.has(Permission.LOGIN)) throw new Unauthenticated('This employee may no longer log in.');

  const home = employee.company as Company;
  const targetId = targetCompanyId(companyHeader, home.id);
  const base = { credential: 'session' as const, employee, userKey: null, sessionId: session.id };
  if (targetId === null) {
    return ActingContext.authenticated({ ...base, company: home, permissions: own, clientAccess: null });
  }
  const link = await findClientLink(db, employee.id, home.id, targetId);
  if (!link) throw notActingThere(targetId);
  return ActingContext.authenticated({
    ...base,
    company: link.client as Company,
    permissions: effectiveAtClient(PermissionSet.ALL, own, link.template!.permissionSet),
    clientAccess: { officeId: home.id, template: link.template! },
  });
}

async function authenticateKey(
  db: Database,
  token: string,
  companyHeader: string | undefined,
  options: AuthenticateOptions,
): Promise<ActingContext> {
  const key = await db.manager
    .createQueryBuilder(UserKey, 'k')
    .innerJoinAndSelect('k.owner', 'o')
    .innerJoinAndSelect('k.company', 'c')
    .where('k.secretHash = :hash', { hash: hashSecret(token) })
    .getOne();
  if (!key?.owner || !key.company) throw new Unauthenticated('Unknown key secret (it may have been restored).');
  const status = key.statusAt(options.now);
  if (status === UserKeyStatus.REVOKED) throw new Unauthenticated('This key has been revoked.');
  if (status === UserKeyStatus.EXPIRED) throw new Unauthenticated('This key has expired.');
  const home = key.company;
  if (!home.integrationsActive) throw new IntegrationsNotActive(home.name);
  options.onKeyUsed?.(key, options.now);

  const owner = key.owner as Employee;
  const base = { credential: 'key' as const, employee: owner, userKey: key, sessionId: null };
  const targetId = targetCompanyId(companyHeader, home.id);

  if (key.kind === UserKeyKind.EMPLOYEE) {
    // R15: an end-user key acts in its own company only
    if (targetId !== null) throw notActingThere(targetId);
    return ActingContext.authenticated({
      ...base,
      company: home,
      permissions: effectiveAtHome(key.permissionSet, owner.permissionSet),
      clientAccess: null,
    });
  }

  // R15: an accountant key acts only at linked clients, never in the office's own company
  if (targetId === null) {
    throw new Forbidden(
      'An accountant key acts only at the clients it is linked to: send X-Company-Id with a client’s ID. The office’s own books need an end-user key.',
    );
  }
  const link = await findClientLink(db, key.id, home.id, targetId);
  if (!link) throw notActingThere(targetId);
  if (!link.relation!.apiAccess) throw new ClientApiAccessDisabled();
  return ActingContext.authenticated({
    ...base,
    company: link.client as Company,
    permissions: effectiveAtClient(key.permissionSet, owner.permissionSet, link.template!.permissionSet),
    clientAccess: { officeId: home.id, template: link.template! },
  });
}

/** The grantee's link to a client of its office, with template, client and relation, in one query. */
async function findClientLink(
  db: Database,
  granteeId: string,
  officeId: string,
  clientId: string,
): Promise<ClientLink | null> {
  const link = await db.manager
    .createQueryBuilder(ClientLink, 'l')
    .innerJoinAndSelect('l.template', 't')
    .innerJoinAndSelect('l.client', 'c')
    .innerJoinAndMapOne('l.relation', ClientRelation, 'r', 'r.officeId = l.officeId AND r.clientId = l.clientId')
    .where('l.granteeId = :granteeId AND l.clientId = :clientId AND l.officeId = :officeId', {
      granteeId,
      clientId,
      officeId,
    })
    .getOne();
  return link?.relation && link.template && link.client ? link : null;
}
