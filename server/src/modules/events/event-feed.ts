import type { AuthenticatedActing } from '../../auth/acting-context';
import { placeholders } from '../../db/dialect';
import type { Database } from '../../db/database';
import { hydrate } from '../../db/hydrate';
import { BadUserInput } from '../../shared/errors';
import { type Page, type PageArgs } from '../../shared/pagination';
import { decodeCursor, encodeCursor, pageSize, toPage } from '../../db/pagination';
import { AccessEvent } from './access-event.entity';
import { isAccessEventType } from './event-types';
import { requireOwnCompany } from './own-company';

export interface AccessEventFilter {
  types?: readonly string[] | null;
}

const COLUMNS = 'id, type, at, company_id, counterpart_company_id, data, seq, dedupe_key';

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
  const byType = types ? ` AND type IN (${placeholders(types.length)})` : '';
  const companyId = acting.company.id;
  // one index range per owning column, each already in order, merged: no OR across two indexes
  const side = (column: string) =>
    `SELECT * FROM (SELECT ${COLUMNS} FROM access_event WHERE ${column} = ? AND seq > ?${byType} ORDER BY seq LIMIT ?) AS ${column === 'company_id' ? 'own' : 'counterpart'}`;
  const sideParams = [afterSeq, ...(types ?? []), first + 1];
  const rows = await db.readLagTolerant(
    `${side('company_id')} UNION ALL ${side('counterpart_company_id')} ORDER BY seq LIMIT ?`,
    [companyId, ...sideParams, companyId, ...sideParams, first + 1],
  );
  const count = () =>
    db
      .readLagTolerant(
        `SELECT (SELECT COUNT(*) FROM access_event WHERE company_id = ? AND seq IS NOT NULL${byType})
              + (SELECT COUNT(*) FROM access_event WHERE counterpart_company_id = ? AND seq IS NOT NULL${byType}) AS n`,
        [companyId, ...(types ?? []), companyId, ...(types ?? [])],
      )
      .then((r) => Number(r[0].n));
  return toPage(hydrate(db.manager, AccessEvent, rows), first, (event) => encodeCursor([Number(event.seq)]), count);
}
