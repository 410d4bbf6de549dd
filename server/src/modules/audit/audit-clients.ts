import type { Database } from '../../db/database';
import { placeholders } from '../../db/dialect';
import { hydrate, prefixedColumns } from '../../db/hydrate';
import { type Page, type PageArgs } from '../../shared/pagination';
import { encodeCursor, toPage, keysetWindow } from '../../db/pagination';
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
  const { first, after } = keysetWindow(page);
  const manager = db.manager;
  const where = `audit_event_id IN (${placeholders(eventIds.length)})`;
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT w.audit_event_id, ${prefixedColumns(manager, Company, 'c', '')} FROM (
       SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.audit_event_id ORDER BY a.client_id) AS page_row
       FROM audit_event_client a WHERE ${where}${after === null ? '' : ' AND a.client_id > ?'}
     ) w JOIN company c ON c.id = w.client_id
     WHERE w.page_row <= ? ORDER BY w.audit_event_id, w.client_id`,
    [...eventIds, ...(after === null ? [] : [after]), first + 1],
  );
  const companies = hydrate(manager, Company, rows);
  const byEvent = new Map<string, Company[]>();
  rows.forEach((row, i) => {
    const id = String(row.audit_event_id);
    byEvent.set(id, [...(byEvent.get(id) ?? []), companies[i]]);
  });
  let counts: Promise<Map<string, number>> | null = null;
  const countOf = (id: string) =>
    (counts ??= manager
      .query(
        `SELECT audit_event_id AS id, COUNT(*) AS n FROM audit_event_client WHERE ${where} GROUP BY audit_event_id`,
        [...eventIds],
      )
      .then((r: { id: string; n: number | string }[]) => new Map(r.map((x) => [x.id, Number(x.n)])))).then(
      (m) => m.get(id) ?? 0,
    );
  return eventIds.map((id) =>
    toPage(
      byEvent.get(id) ?? [],
      first,
      (c) => encodeCursor([c.id]),
      () => countOf(id),
    ),
  );
}
