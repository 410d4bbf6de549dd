import type { Database } from '../../db/database';
import { placeholders } from '../../db/dialect';
import { hydrate } from '../../db/hydrate';
import { AccessEvent } from './access-event.entity';

const COLUMNS = 'id, type, at, company_id, counterpart_company_id, data, seq, dedupe_key';

/** R36: the event feed's reads; a feed a second behind is as good, so they may go to a replica. */
export class AccessEventFeedRepository {
  constructor(private readonly db: Database) {}

  /**
   * The company's numbered events after `afterSeq`, in commit order, `first + 1` at most, of the
   * given types or all: one index range per owning column (company, counterpart), each already in
   * order, merged — no OR across two indexes.
   */
  async after(companyId: string, afterSeq: number, types: string[] | null, first: number): Promise<AccessEvent[]> {
    const byType = types ? ` AND type IN (${placeholders(types.length)})` : '';
    const side = (column: string) =>
      `SELECT * FROM (SELECT ${COLUMNS} FROM access_event WHERE ${column} = ? AND seq > ?${byType} ORDER BY seq LIMIT ?) AS ${column === 'company_id' ? 'own' : 'counterpart'}`;
    const sideParams = [afterSeq, ...(types ?? []), first + 1];
    const rows = await this.db.readLagTolerant(
      `${side('company_id')} UNION ALL ${side('counterpart_company_id')} ORDER BY seq LIMIT ?`,
      [companyId, ...sideParams, companyId, ...sideParams, first + 1],
    );
    return hydrate(this.db.manager, AccessEvent, rows);
  }

  /** How many numbered events of the given types (or all) the company has, on both owning columns. */
  count(companyId: string, types: string[] | null): Promise<number> {
    const byType = types ? ` AND type IN (${placeholders(types.length)})` : '';
    return this.db
      .readLagTolerant(
        `SELECT (SELECT COUNT(*) FROM access_event WHERE company_id = ? AND seq IS NOT NULL${byType})
              + (SELECT COUNT(*) FROM access_event WHERE counterpart_company_id = ? AND seq IS NOT NULL${byType}) AS n`,
        [companyId, ...(types ?? []), companyId, ...(types ?? [])],
      )
      .then((r) => Number(r[0].n));
  }
}
