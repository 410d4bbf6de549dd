import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Database } from '../db/database';
import { hydrate, prefixedColumns } from '../db/hydrate';
import { AccessTemplate } from '../modules/clients/access-template.entity';
import { ClientLink } from '../modules/clients/client-link.entity';
import { ClientRelation } from '../modules/clients/client-relation.entity';
import { Company } from '../modules/companies/company.entity';
import { Employee } from '../modules/employees/employee.entity';
import { UserKey } from '../modules/keys/user-key.entity';
import { UserKeySecret } from '../modules/keys/user-key-secret.entity';
import { Session } from '../modules/sessions/session.entity';
import { keyReach, notActingThere } from '../rules/accountant-keys';
import { effectiveAtHome } from '../rules/ceiling';
import { clientAccessRefusal, effectiveAtClient, keyEffectiveAtClient, switchGoverns } from '../rules/client-access';
import { assertKeyIntegrationsActive } from '../rules/integrations';
import { assertKeyUsable } from '../rules/keys';
import { assertNetworkAllowed, secretOpensKey } from '../rules/lifecycle';
import { assertKeyOwnerActive, assertSessionPersonActive } from '../rules/people';
import { assertNotBlockedByClient, isReachOnlyRequest } from '../rules/reach';
import { BadUserInput, ClientApiAccessDisabled, IntegrationsNotActive, Unauthenticated } from '../shared/errors';
import { isIdOf } from '../shared/ids';
import {
  ACTING_COMPANY_COLUMNS,
  ACTING_EMPLOYEE_COLUMNS,
  ACTING_USER_KEY_COLUMNS,
  ActingContext,
  type ActingCompanyRecord,
  type ActingEmployeeRecord,
  type ActingUserKeyRecord,
} from '../auth/acting-context';
import { PermissionSet } from '../auth/permission';
import { KEY_PREFIX, SESSION_PREFIX, hashSecret, recogniseSecret } from '../auth/secrets';

export interface CredentialHeaders {
  authorization?: string;
  companyId?: string;
}

export interface AuthenticateOptions {
  now: Date;
  /** The client's address (`clientAddress`): a key's network allowlist is checked against it (R30). */
  clientIp?: string;
  /**
   * Called with a key that authenticated, for its lastUsedAt and the networks it is used from
   * (kept off the request's path).
   */
  onKeyUsed?: (key: ActingUserKeyRecord, now: Date, clientIp: string) => void;
}

/** Reads `Authorization: Bearer <token>`; any other shape of the header is refused. */
function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!m) throw new Unauthenticated('The Authorization header must be `Bearer <token>`.');
  return m[1];
}

/**
 * Builds the acting context of a request from its credential and X-Company-Id (SPEC section 3):
 * who is calling, in which company, with which effective permissions. Every decision is a rule of
 * rules/ (R3, R10, R12, R15, R17, R18, R22, R23); this module only looks the credential up.
 */
export async function authenticate(
  db: Database,
  headers: CredentialHeaders,
  options: AuthenticateOptions,
): Promise<ActingContext> {
  const token = bearerToken(headers.authorization);
  if (token === null) return ActingContext.anonymous();
  const prefix = recogniseSecret(token);
  if (prefix !== SESSION_PREFIX && prefix !== KEY_PREFIX) {
    throw new Unauthenticated('The bearer token is not a Nøkkel session token or key secret.');
  }
  // read once the token is a credential: a token that is none is refused whatever the header says
  const target = requestedCompany(headers.companyId);
  return prefix === SESSION_PREFIX
    ? authenticateSession(db, token, target, options.now)
    : authenticateKey(db, token, target, options);
}

/** The tables a credential lookup reads, with the prefix each one's columns carry in the row. */
const PARTS = {
  key: 'k__',
  secret: 'ks__',
  session: 's__',
  person: 'p__',
  home: 'h__',
  link: 'l__',
  relation: 'r__',
  template: 't__',
  client: 'c__',
  block: 'b__',
};

interface LookupSql {
  key: { home: string; withLink: string };
  session: { home: string; withLink: string };
}

const lookupSql = new WeakMap<DataSource, LookupSql>();

/**
 * One statement per request: the credential with its person and home company and — when
 * X-Company-Id names another company — the person's or key's link there with its relation,
 * template and client. Built once per database, as plain SQL (the hottest query of the server).
 */
function sqlFor(db: Database): LookupSql {
  let sql = lookupSql.get(db.dataSource);
  if (sql) return sql;
  const m = db.manager;
  const cols = (entity: EntityTarget<ObjectLiteral>, alias: string, prefix: string, only?: readonly string[]) =>
    prefixedColumns(m, entity, alias, prefix, only);
  // what the acting context keeps (auth/acting-context.ts) and the checks of this module read: nothing more
  const company = (alias: string, prefix: string) => cols(Company, alias, prefix, ACTING_COMPANY_COLUMNS);
  const personAndHome = `${cols(Employee, 'p', PARTS.person, ACTING_EMPLOYEE_COLUMNS)}, ${company('h', PARTS.home)}`;
  const linkCols = [
    cols(ClientLink, 'l', PARTS.link, ['id']),
    cols(ClientRelation, 'r', PARTS.relation, ['id', 'apiAccess']),
    cols(AccessTemplate, 't', PARTS.template),
    company('c', PARTS.client),
  ].join(', ');
  const linkJoin = (grantee: string) => `
    LEFT JOIN client_link l ON l.grantee_id = ${grantee} AND l.office_id = p.company_id AND l.client_id = ?
    LEFT JOIN client_relation r ON r.office_id = l.office_id AND r.client_id = l.client_id
    LEFT JOIN access_template t ON t.id = l.template_id
    LEFT JOIN company c ON c.id = l.client_id`;
  // R33: whether the client blocked one of these (rules/reach#blockSubjectsOfKey), in the same statement
  const blocked = (subjects: string) =>
    `, EXISTS (SELECT 1 FROM client_block b WHERE b.client_id = l.client_id AND b.office_id = l.office_id AND b.subject_id IN (${subjects})) AS ${PARTS.block}blocked`;
  const key = (withLink: boolean) =>
    `SELECT ${cols(UserKey, 'k', PARTS.key, ACTING_USER_KEY_COLUMNS)}, ${cols(UserKeySecret, 'ks', PARTS.secret, ['expiresAt'])}, ${personAndHome}${withLink ? `, ${linkCols}${blocked('k.id, k.owner_id, k.application_id')}` : ''}
     FROM user_key_secret ks JOIN user_key k ON k.id = ks.user_key_id
     JOIN employee p ON p.id = k.owner_id JOIN company h ON h.id = p.company_id
     ${withLink ? linkJoin('k.id') : ''} WHERE ks.secret_hash = ?`;
  const session = (withLink: boolean) =>
    `SELECT ${cols(Session, 's', PARTS.session, ['id', 'expiresAt'])}, ${personAndHome}${withLink ? `, ${linkCols}${blocked('p.id')}` : ''}
     FROM session s JOIN employee p ON p.id = s.employee_id JOIN company h ON h.id = p.company_id
     ${withLink ? linkJoin('p.id') : ''} WHERE s.token_hash = ?`;
  sql = { key: { home: key(false), withLink: key(true) }, session: { home: session(false), withLink: session(true) } };
  lookupSql.set(db.dataSource, sql);
  return sql;
}

interface Lookup<T> {
  /** The credential, with the columns the statement selects (the type says which). */
  credential: T;
  person: ActingEmployeeRecord;
  home: ActingCompanyRecord;
  /** The raw row, for parts only one kind of credential has. */
  row: Record<string, unknown>;
  /** The link to the X-Company-Id company, when it is a client of the person's office. */
  link: {
    client: ActingCompanyRecord;
    template: AccessTemplate;
    relation: Pick<ClientRelation, 'id' | 'apiAccess'>;
    blockedByClient: boolean;
  } | null;
}

async function lookUp<T>(
  db: Database,
  entity: EntityTarget<ObjectLiteral>,
  which: { home: string; withLink: string },
  prefix: string,
  hashes: string[],
  target: string | null,
): Promise<Lookup<T> | null> {
  const rows = await db.read(
    target === null ? which.home : which.withLink,
    target === null ? hashes : [target, ...hashes],
  );
  const row = rows[0];
  if (!row) return null;
  const one = <E extends ObjectLiteral>(e: EntityTarget<E>, p: string): E => hydrate(db.manager, e, [row], p)[0];
  const linked = target !== null && row[`${PARTS.link}id`] != null && row[`${PARTS.relation}id`] != null;
  return {
    credential: one(entity, prefix) as T,
    row,
    person: one(Employee, PARTS.person),
    home: one(Company, PARTS.home),
    link: linked
      ? {
          client: one(Company, PARTS.client),
          template: one(AccessTemplate, PARTS.template),
          relation: one(ClientRelation, PARTS.relation),
          blockedByClient: Number(row[`${PARTS.block}blocked`]) === 1,
        }
      : null,
  };
}

/** The company X-Company-Id asks to act in, if any; BAD_USER_INPUT if it is not a Company.id. */
function requestedCompany(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  if (!isIdOf('company', header)) throw new BadUserInput([{ field: 'X-Company-Id', message: 'must be a Company.id' }]);
  return header;
}

/** R18: whether the client's API switch lets this kind of credential in (it governs keys only). */
function switchAllows(credential: 'session' | 'key', relation: Pick<ClientRelation, 'apiAccess'>): boolean {
  return !switchGoverns(credential) || relation.apiAccess;
}

async function authenticateSession(
  db: Database,
  token: string,
  target: string | null,
  now: Date,
): Promise<ActingContext> {
  const found = await lookUp<Pick<Session, 'id' | 'expiresAt'>>(
    db,
    Session,
    sqlFor(db).session,
    PARTS.session,
    [hashSecret(token)],
    target,
  );
  if (!found || found.credential.expiresAt.getTime() <= now.getTime()) {
    throw new Unauthenticated('The session has expired or was logged out. Log in again.');
  }
  const { person: employee, home } = found;
  assertSessionPersonActive(employee);
  const own = employee.permissionSet;

  const base = { credential: 'session' as const, employee, userKey: null, sessionId: found.credential.id };
  if (target === null || target === home.id) {
    return ActingContext.authenticated({ ...base, company: home, permissions: own, clientAccess: null });
  }
  const { link } = found;
  if (!link) throw notActingThere(target);
  // R18: a person's session at a client follows the link and its template, not the client's switch
  if (!switchAllows('session', link.relation)) throw new ClientApiAccessDisabled();
  assertNotBlockedByClient(link.blockedByClient);
  return ActingContext.authenticated({
    ...base,
    company: link.client,
    permissions: effectiveAtClient(PermissionSet.ALL, own, link.template.permissionSet),
    clientAccess: { officeId: home.id, template: link.template },
  });
}

async function authenticateKey(
  db: Database,
  token: string,
  target: string | null,
  options: AuthenticateOptions,
): Promise<ActingContext> {
  // R28: the key is found by its current or its previous secret, with one primary-key probe
  const found = await lookUp<ActingUserKeyRecord>(db, UserKey, sqlFor(db).key, PARTS.key, [hashSecret(token)], target);
  if (!found) throw new Unauthenticated('Unknown key secret (it may have been restored).');
  const { credential: key, person: owner, home } = found;
  const clientIp = options.clientIp ?? 'unknown';
  // R30: before anything else is decided — a secret used from elsewhere learns nothing more
  assertNetworkAllowed(key, clientIp);
  const secret = hydrate(db.manager, UserKeySecret, [found.row], PARTS.secret)[0];
  if (!secretOpensKey(secret, options.now))
    throw new Unauthenticated('Unknown key secret (it may have been restored).');
  assertKeyUsable(key, options.now);
  assertKeyOwnerActive(owner);
  assertKeyIntegrationsActive(home);
  options.onKeyUsed?.(key, options.now, clientIp);

  const base = { credential: 'key' as const, employee: owner, userKey: key, sessionId: null };
  const atHome = target === null || target === home.id;
  if (isReachOnlyRequest(key.kind, atHome)) {
    // R32: it acts nowhere, but may read where it can act (http/reach-only/ holds it to that)
    return ActingContext.authenticated({
      ...base,
      company: home,
      permissions: PermissionSet.EMPTY,
      clientAccess: null,
      reachOnly: true,
    });
  }
  if (keyReach(key.kind, atHome, target) === 'home') {
    return ActingContext.authenticated({
      ...base,
      company: home,
      permissions: effectiveAtHome(key.permissionSet, owner.permissionSet),
      clientAccess: null,
    });
  }

  const { link } = found;
  const conditions = {
    // a revoked or expired key was refused above (R10)
    keyActive: true,
    officeIntegrationsActive: home.integrationsActivatedAt != null,
    linked: link !== null,
    apiAccess: link !== null && switchAllows('key', link.relation),
  };
  const refusal = clientAccessRefusal(conditions);
  if (refusal === 'INTEGRATIONS_NOT_ACTIVE') throw new IntegrationsNotActive(home.name);
  if (refusal === 'NOT_LINKED' || !link) throw notActingThere(target ?? '');
  if (refusal === 'API_ACCESS_OFF') throw new ClientApiAccessDisabled();
  assertNotBlockedByClient(link.blockedByClient);
  return ActingContext.authenticated({
    ...base,
    company: link.client,
    permissions: keyEffectiveAtClient(conditions, key.permissionSet, owner.permissionSet, link.template.permissionSet),
    clientAccess: { officeId: home.id, template: link.template },
  });
}
