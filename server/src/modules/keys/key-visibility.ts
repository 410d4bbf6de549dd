import type { RequestContext } from '../request-context';
import { mayViewKey } from '../../rules/overview';
import { Forbidden } from '../../shared/errors';
import type { UserKey } from './user-key.entity';

/**
 * R20: what a key can do is its owner's permissions seen through the key (a COPY_EMPLOYEE key is a
 * copy of them), so it is shown only to callers who may see the key in the overview, or to the key
 * itself — never to a colleague, an auditor or another company that meets the key through a client
 * link or an audit entry.
 */
export function assertMayView(key: UserKey, { acting }: RequestContext, field: string): void {
  if (!mayViewKey(acting, key)) {
    throw new Forbidden(
      `UserKey.${field} is visible only to the key itself, its owner and the user administrators of its company.`,
    );
  }
}
