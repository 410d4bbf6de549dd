/**
 * The domain's enumerations as plain values, so the rules layer can read them without loading
 * the ORM or GraphQL; the entities register them as GraphQL enums and re-export them.
 */

export enum CompanyKind {
  ACCOUNTING_OFFICE = 'ACCOUNTING_OFFICE',
  REGULAR = 'REGULAR',
}

export enum UserKeyKind {
  EMPLOYEE = 'EMPLOYEE',
  ACCOUNTANT = 'ACCOUNTANT',
}

export enum UserKeyStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}

export enum KeyAccessMode {
  ALL_ACCESS = 'ALL_ACCESS',
  COPY_EMPLOYEE = 'COPY_EMPLOYEE',
  CUSTOM = 'CUSTOM',
}

/** R32: why a key cannot act at a linked client (the first reason that holds). */
export enum ReachBlockedReason {
  KEY_NOT_ACTIVE = 'KEY_NOT_ACTIVE',
  OWNER_DEACTIVATED = 'OWNER_DEACTIVATED',
  INTEGRATIONS_NOT_ACTIVE = 'INTEGRATIONS_NOT_ACTIVE',
  API_ACCESS_OFF = 'API_ACCESS_OFF',
  BLOCKED_BY_CLIENT = 'BLOCKED_BY_CLIENT',
  NO_EFFECTIVE_PERMISSIONS = 'NO_EFFECTIVE_PERMISSIONS',
}
