import type { AuthenticatedActing } from '../../auth/acting-context';
import type { Database } from '../../db/database';
import { BadUserInput } from '../../shared/errors';
import { type Page, type PageArgs } from '../../shared/pagination';
import { decodeCursor, encodeCursor, pageSize, toPage } from '../../db/pagination';
import type { AccessEvent } from './access-event.entity';
import { AccessEventFeedRepository } from './access-event.repository';
import { isAccessEventType } from './event-types';
import { requireOwnCompany } from './own-company';

export interface AccessEventFilter {
  types?: readonly string[] | null;
}

function checkTypes(types: readonly string[] | null | undefined): string[] | null {
  if (types == null) return null;
  const unknown = types.filter((t) => !isAccessEventType(t));
  if (!types.length || unknown.length) {
    throw new BadUserInput([
      {
        field: 'types',
        message: types.length
          ? `unknown event type(s): ${unknown.join(', ')}`
          : 'give at least one event type, or leave the argument out for all',
      },
    ]);
  }
  return [...new Set(types)];
}

/**
 * R36: the acting company's event feed, oldest first in commit order — what a poller needs:
 * keep `pageInfo.endCursor` and ask again with `after:` it to get only newer events; an event
 * committed later always comes after the cursor, so none is skipped. An event belongs to the
 * company where it happened and to its counterpart (office ↔ client), so both see it.
 * One statement per page (two with `totalCount`).
 */
export async function listAccessEvents(
  db: Database,
  acting: AuthenticatedActing,
  filter: AccessEventFilter,
  page: PageArgs,
): Promise<Page<AccessEvent>> {
  requireOwnCompany(acting);
  const first = pageSize(page.first);
  const after = decodeCursor(page.after, 1);
  const afterSeq = after === null ? 0 : Number(after[0]);
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0)
    throw new BadUserInput([{ field: 'after', message: 'is not a cursor of this list' }]);
  const types = checkTypes(filter.types);
  const events = new AccessEventFeedRepository(db);
  const rows = await events.after(acting.company.id, afterSeq, types, first);
  return toPage(
    rows,
    first,
    (event) => encodeCursor([Number(event.seq)]),
    () => events.count(acting.company.id, types),
  );
}
