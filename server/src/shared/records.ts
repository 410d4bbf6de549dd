import type { CompanyKind, KeyAccessMode, UserKeyKind, UserKeyStatus } from './domain-enums';
import type { PermissionSet } from './permission';

/*
 * The stored records as the caller (auth/) and the rules (rules/) read them: a type-only contract
 * at the bottom layer, so neither imports an entity of modules/. Each entity of modules/ has these
 * fields (TypeScript checks it wherever an entity is passed to a rule), and its relations besides.
 */

/** A company (an accounting office or an ordinary company): modules/companies/company.entity.ts. */
export interface CompanyRecord {
  id: string;
  name: string;
  orgNumber: string | null;
  kind: CompanyKind;
  integrationsActivatedAt: Date | null;
  integrationsActivatedById: string | null;
  integrationsTermsVersion: string | null;
  nextInvoiceNumber: number;
  createdAt: Date;
  keyPolicyRequireExpiry: boolean;
  keyPolicyMaxLifetimeDays: number | null;
  keyPolicyExpireUnusedAfterDays: number | null;
}

/** A person of a company: modules/employees/employee.entity.ts. */
export interface EmployeeRecord {
  id: string;
  companyId: string;
  name: string;
  email: string | null;
  passwordHash: string | null;
  permissionBits: number;
  annualSalary: number | null;
  createdAt: Date;
  readonly permissionSet: PermissionSet;
}

/** A user key: modules/keys/user-key.entity.ts. */
export interface UserKeyRecord {
  id: string;
  companyId: string;
  ownerId: string;
  applicationId: string | null;
  customApplicationName: string | null;
  name: string;
  activeNameKey: string | null;
  kind: UserKeyKind;
  accessMode: KeyAccessMode;
  permissionBits: number;
  secretHash: string;
  previousSecretExpiresAt: Date | null;
  allowedNetworksText: string | null;
  secretVersion: number;
  tokenHint: string;
  createdByEmployeeId: string | null;
  createdByUserKeyId: string | null;
  createdByHolderId: string | null;
  secretHolderId: string | null;
  secretIssuedByUserKeyId: string | null;
  secretIssuedByHolderId: string | null;
  createdAt: Date;
  restoredAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  readonly allowedNetworks: string[];
  readonly permissionSet: PermissionSet;
  readonly status: UserKeyStatus;
  statusAt(now: Date): UserKeyStatus;
}

/** An access template of an accounting office: modules/clients/access-template.entity.ts. */
export interface AccessTemplateRecord {
  id: string;
  officeId: string;
  name: string;
  nameKey: string | null;
  permissionBits: number;
  createdAt: Date;
  updatedAt: Date;
  readonly permissionSet: PermissionSet;
}

/** An application of the catalog: modules/applications/application.entity.ts. */
export interface ApplicationRecord {
  id: string;
  name: string;
  vendor: string | null;
  description: string | null;
  supportsAccountantKeys: boolean;
}

/** An audit row: modules/audit/audit-event.entity.ts. */
export interface AuditEventRecord {
  id: string;
  at: Date;
  companyId: string;
  actorEmployeeId: string | null;
  actorUserKeyId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: string | null;
}
