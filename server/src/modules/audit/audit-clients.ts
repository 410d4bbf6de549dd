import type { Database } from '../../db/database';
import { placeholders } from '../../db/dialect';
import { hydrate, prefixedColumns } from '../../db/hydrate';
import { type Page, type PageArgs } from '../../shared/pagination';
import { keysetWindow, windowedPages, windowedRows, type Windows } from '../../db/pagination';
import { Company } from '../companies/company.entity';

/**
 * The clients a bulk link or unlink named (R21: one audit event per call, its clients beside it):
 * a page of them for each of several events, in one statement, ordered by client id.
 */
export async function clientsPerEvent(
  db: Database,
  eventIds: readonly string[],
  page: PageArgs,
): Promise<Page<Company>[]> {
  const windows: Windows = { partition: 'audit_event_id', order: 'client_id', ids: eventIds, ...keysetWindow(page) };
  const manager = db.manager;
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT w.audit_event_id, ${prefixedColumns(manager, Company, 'c', '')} FROM (
       ${windowedRows('audit_event_client', 'a', windows, '1 = 1')}
     ) w JOIN company c ON c.id = w.client_id
     WHERE w.page_row <= ? ORDER BY w.audit_event_id, w.client_id`,
    [...eventIds, ...(windows.after === null ? [] : [windows.after]), windows.first + 1],
  );
  // every event's total in one GROUP BY, run only if some totalCount is selected
  const counts = () =>
    manager
      .query(
        `SELECT audit_event_id AS id, COUNT(*) AS n FROM audit_event_client WHERE audit_event_id IN (${placeholders(eventIds.length)}) GROUP BY audit_event_id`,
        [...eventIds],
      )
      .then((r: { id: string; n: number | string }[]) => new Map(r.map((x) => [x.id, Number(x.n)])));
  return windowedPages(
    windows,
    hydrate(manager, Company, rows),
    (_, i) => String(rows[i].audit_event_id),
    (c) => c.id,
    counts,
  );
}
