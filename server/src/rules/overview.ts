import type { UserKeyRecord } from '../shared/records';
import type { ActingContext, AuthenticatedActing } from '../auth/acting-context';
import { Permission } from '../shared/permission';
import { mayManageKeysOf } from './delegation';

/** Which keys a caller sees: those of one company, and of one owner unless null (all owners). */
export interface KeyScope {
  companyId: string;
  ownerId: string | null;
}

/** R20: the key overview of the acting company shows the caller's own keys, or all with USER_ADMIN. */
export function visibleKeyScope(acting: AuthenticatedActing): KeyScope {
  return {
    companyId: acting.company.id,
    ownerId: acting.permissions.has(Permission.USER_ADMIN) ? null : acting.employee.id,
  };
}

/**
 * R20, for one key already in hand: the caller sees what it holds and can do (its permission view)
 * if the key overview would show it to them — a key of the acting company that is their own, or
 * any with USER_ADMIN — or if it is the key making the request. A key reached another way (a
 * client link, an audit entry, another company) shows who it is, not what its owner may do.
 */
export function mayViewKey(acting: ActingContext, key: Pick<UserKeyRecord, 'id' | 'companyId' | 'ownerId'>): boolean {
  if (acting.userKey?.id === key.id) return true;
  if (!acting.isAuthenticated || key.companyId !== acting.company?.id) return false;
  return mayManageKeysOf(acting.authenticated(), key.ownerId);
}
