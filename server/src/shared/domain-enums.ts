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
