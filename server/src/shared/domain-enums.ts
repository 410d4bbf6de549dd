/**
 * The domain's enumerations as plain values, so the rules layer can read them without loading
 * the ORM or GraphQL; the entities register them as GraphQL enums and re-export them.
 */

import { stringEnum, type EnumValue } from './string-enum';

export const CompanyKind = stringEnum(['ACCOUNTING_OFFICE', 'REGULAR']);
export type CompanyKind = EnumValue<typeof CompanyKind>;

export const UserKeyKind = stringEnum(['EMPLOYEE', 'ACCOUNTANT']);
export type UserKeyKind = EnumValue<typeof UserKeyKind>;

export const UserKeyStatus = stringEnum(['ACTIVE', 'REVOKED', 'EXPIRED']);
export type UserKeyStatus = EnumValue<typeof UserKeyStatus>;

export const KeyAccessMode = stringEnum(['ALL_ACCESS', 'COPY_EMPLOYEE', 'CUSTOM']);
export type KeyAccessMode = EnumValue<typeof KeyAccessMode>;

/** R32: why a key cannot act at a linked client (the first reason that holds). */
export const ReachBlockedReason = stringEnum([
  'KEY_NOT_ACTIVE',
  'OWNER_DEACTIVATED',
  'INTEGRATIONS_NOT_ACTIVE',
  'API_ACCESS_OFF',
  'BLOCKED_BY_CLIENT',
  'NO_EFFECTIVE_PERMISSIONS',
]);
export type ReachBlockedReason = EnumValue<typeof ReachBlockedReason>;
