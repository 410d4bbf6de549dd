import type { Permission } from '../../auth/permission';

/**
 * R35: every type of access event, in one place. Receivers subscribe to these names and the feed
 * filters by them, so a name, once published, never changes.
 */
export const ACCESS_EVENT_TYPES = [
  'user_key.created',
  'user_key.revoked',
  'user_key.restored',
  'user_key.expiring',
  'user_key.expired',
  'user_key.permissions_reduced',
  'user_key.leak_reported',
  'client.api_access_changed',
  'client.block_changed',
  'client_link.created',
  'client_link.removed',
  'client_link.template_changed',
  'access_template.updated',
  'key_policy.updated',
] as const;

export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

/** A webhook endpoint subscribed to this receives every type, including types added later. */
export const EVERY_EVENT_TYPE = '*';

const KNOWN: ReadonlySet<string> = new Set(ACCESS_EVENT_TYPES);

export function isAccessEventType(value: string): value is AccessEventType {
  return KNOWN.has(value);
}

/** Who or what a client link grants: a key or an employee of the office (exactly one is set). */
interface LinkGrantee {
  officeId: string;
  clientId: string;
  userKeyId: string | null;
  employeeId: string | null;
}

/** Why a key lost effective permissions. */
export type PermissionsReducedCause = 'OWNER_PERMISSIONS' | 'ACCESS_TEMPLATE' | 'CLIENT_LINK' | 'KEY_PERMISSIONS';

/** Why a key was revoked (R10, R26, R27, R31). */
export type RevocationReason = 'REVOKED' | 'REVOKED_WITH_CREATOR' | 'COMPROMISED' | 'LEAK_REPORTED';

/**
 * R35: what each event's `data` holds. Only ids and facts about the change — never a secret, a
 * token hint or personal data: a receiver looks the objects up through the API when it needs more.
 */
export interface AccessEventDataByType {
  'user_key.created': {
    userKeyId: string;
    ownerId: string;
    kind: 'EMPLOYEE' | 'ACCOUNTANT';
    applicationId: string | null;
    expiresAt: string | null;
    createdByEmployeeId: string | null;
    createdByUserKeyId: string | null;
  };
  'user_key.revoked': { userKeyId: string; ownerId: string; reason: RevocationReason; causeUserKeyId: string | null };
  'user_key.restored': {
    userKeyId: string;
    ownerId: string;
    compromised: boolean;
    previousSecretExpiresAt: string | null;
    restoredByUserKeyId: string | null;
  };
  'user_key.expiring': { userKeyId: string; ownerId: string; expiresAt: string; daysBefore: 14 | 1 };
  'user_key.expired': { userKeyId: string; ownerId: string; expiresAt: string };
  'user_key.permissions_reduced': {
    userKeyId: string;
    ownerId: string;
    /** The client where the key lost them; null when it lost them everywhere (its owner changed). */
    clientId: string | null;
    cause: PermissionsReducedCause;
    removedPermissions: Permission[];
  };
  'user_key.leak_reported': { userKeyId: string; ownerId: string };
  'client.api_access_changed': { officeId: string; clientId: string; enabled: boolean };
  'client.block_changed': {
    officeId: string;
    clientId: string;
    userKeyId: string | null;
    applicationId: string | null;
    employeeId: string | null;
    blocked: boolean;
  };
  'client_link.created': LinkGrantee & { templateId: string };
  'client_link.removed': LinkGrantee;
  'client_link.template_changed': LinkGrantee & { previousTemplateId: string; templateId: string };
  'access_template.updated': {
    templateId: string;
    officeId: string;
    addedPermissions: Permission[];
    removedPermissions: Permission[];
  };
  'key_policy.updated': {
    companyId: string;
    requireExpiry: boolean;
    maxLifetimeDays: number | null;
    expireUnusedAfterDays: number | null;
  };
}

/**
 * An event to emit. `companyId` is the company where the change happened; `counterpartCompanyId`
 * is the other company it belongs to (R36): the office when a client changes its switch or a
 * block, the client when an office links or unlinks it. Both see it in the feed and on webhooks.
 */
export type NewAccessEvent = {
  [T in AccessEventType]: {
    type: T;
    companyId: string;
    counterpartCompanyId?: string | null;
    data: AccessEventDataByType[T];
  };
}[AccessEventType];
