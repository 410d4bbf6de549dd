import type { AccessTemplateRecord, CompanyRecord, EmployeeRecord, UserKeyRecord } from '../shared/records';
import { Unauthenticated } from '../shared/errors';
import { PermissionSet } from './permission';

/*
 * What the acting context keeps of its person, key and companies: the columns authorization reads,
 * and only those. The credential lookup (context/authenticate.ts), the hottest statement of the
 * server, selects exactly these, and no password hash or e-mail rides along with every request. A
 * field beyond them (an employee's email, a key's name) is read from its row where it is shown
 * (`viewer`, `company`); TypeScript refuses code that reads one here.
 */

/** The columns kept of the person of a request: the session's employee or the key's owner. */
export const ACTING_EMPLOYEE_COLUMNS = ['id', 'companyId', 'permissionBits'] as const;
export type ActingEmployeeRecord = Pick<EmployeeRecord, (typeof ACTING_EMPLOYEE_COLUMNS)[number] | 'permissionSet'>;

/** The columns kept of the company a request acts in, and of the caller's own. */
export const ACTING_COMPANY_COLUMNS = ['id', 'name', 'kind', 'integrationsActivatedAt'] as const;
export type ActingCompanyRecord = Pick<CompanyRecord, (typeof ACTING_COMPANY_COLUMNS)[number]>;

/** The columns kept of the key a request authenticated with. */
export const ACTING_USER_KEY_COLUMNS = [
  'id',
  'companyId',
  'ownerId',
  'kind',
  'permissionBits',
  'secretHash',
  'secretHolderId',
  'allowedNetworksText',
  'revokedAt',
  'expiresAt',
  'lastUsedAt',
] as const;
export type ActingUserKeyRecord = Pick<
  UserKeyRecord,
  (typeof ACTING_USER_KEY_COLUMNS)[number] | 'permissionSet' | 'allowedNetworks'
>;

export type CredentialKind = 'none' | 'session' | 'key';

/** How the caller reached a client company: through a client link under an access template. */
export interface ClientAccess {
  readonly officeId: string;
  readonly template: AccessTemplateRecord;
}

interface ActingFields {
  credential: CredentialKind;
  employee: ActingEmployeeRecord | null;
  userKey: ActingUserKeyRecord | null;
  company: ActingCompanyRecord | null;
  permissions: PermissionSet;
  sessionId: string | null;
  clientAccess: ClientAccess | null;
  /** R32: an accountant key without X-Company-Id, which may only read `viewer` (its reach). */
  reachOnly?: boolean;
}

export interface AuthenticatedActing extends ActingContext {
  readonly employee: ActingEmployeeRecord;
  readonly company: ActingCompanyRecord;
}

/**
 * Who is calling and with what rights, computed once per request (SPEC section 3) and frozen:
 * every authorization check of the request reads this object and nothing else.
 */
export class ActingContext implements ActingFields {
  readonly credential!: CredentialKind;
  /** The person: the session's employee, or the key's owner. */
  readonly employee!: ActingEmployeeRecord | null;
  readonly userKey!: ActingUserKeyRecord | null;
  /** The company the request acts in (X-Company-Id, or the credential's own company). */
  readonly company!: ActingCompanyRecord | null;
  /** Effective permissions in the acting company for this request. */
  readonly permissions!: PermissionSet;
  readonly sessionId!: string | null;
  readonly clientAccess!: ClientAccess | null;
  readonly reachOnly: boolean = false;

  private constructor(fields: ActingFields) {
    Object.assign(this, fields);
    Object.freeze(this);
  }

  static anonymous(): ActingContext {
    return new ActingContext({
      credential: 'none',
      employee: null,
      userKey: null,
      company: null,
      permissions: PermissionSet.EMPTY,
      sessionId: null,
      clientAccess: null,
    });
  }

  static authenticated(
    fields: Omit<ActingFields, 'company' | 'employee'> & {
      employee: ActingEmployeeRecord;
      company: ActingCompanyRecord;
    },
  ): ActingContext {
    return new ActingContext(fields);
  }

  get isAuthenticated(): boolean {
    return this.credential !== 'none' && this.employee !== null && this.company !== null;
  }

  /** Whether the request acts at a client of the caller's accounting office, through a client link. */
  get atClient(): boolean {
    return this.clientAccess !== null;
  }

  /** This context as an authenticated caller; UNAUTHENTICATED if there is no credential. */
  authenticated(): AuthenticatedActing {
    if (!this.isAuthenticated) throw new Unauthenticated();
    return this as AuthenticatedActing;
  }

  /** The actor recorded in the audit log. */
  get actor(): { employeeId: string | null; userKeyId: string | null } {
    return { employeeId: this.employee?.id ?? null, userKeyId: this.userKey?.id ?? null };
  }
}
