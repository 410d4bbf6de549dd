import type { Database } from '../../db/database';
import { placeholders } from '../../db/dialect';
import { hydrate, prefixedColumns } from '../../db/hydrate';
import type { CursorValue } from '../../db/pagination';
import { AccessTemplate } from '../clients/access-template.entity';
import { Company } from '../companies/company.entity';

/** One client link of a key as its reach needs it: the client, the template, the switch and a block. */
export interface LinkReachRow {
  client: Company;
  template: AccessTemplate;
  apiAccess: boolean;
  blockedByClient: boolean;
}

/** Narrows the links to those that can act (or cannot): the permission mask of rules/reach#canActFilter. */
export interface CanActNarrowing {
  canAct: boolean;
  permissionMask: number;
}

/** R33: whether the client holds a block on one of the subjects, for the office of the link `l`. */
function blockedSql(subjects: number): string {
  return `EXISTS (SELECT 1 FROM client_block b WHERE b.client_id = l.client_id AND b.office_id = l.office_id AND b.subject_id IN (${placeholders(subjects)}))`;
}

/** The reads of a key's reach, prepared statements outside transactions. */
export class ReachRepository {
  constructor(private readonly db: Database) {}

  /**
   * R32: a keyset page (by client id) of the key's client links with their client, template, the
   * client's switch and whether the client blocks one of `subjects` — one statement whatever the
   * page size — and its total, counted only if asked.
   */
  async linksOfKey(
    keyId: string,
    subjects: string[],
    narrowing: CanActNarrowing | null,
    window: { first: number; after: CursorValue | null },
  ): Promise<{ rows: LinkReachRow[]; count: () => Promise<number> }> {
    const blocked = blockedSql(subjects.length);
    let where = 'l.grantee_id = ?';
    const params: unknown[] = [keyId];
    if (narrowing) {
      // the database pages through the links reachAtClient would let act (see rules/reach#canActFilter)
      const canAct = `(COALESCE(r.api_access, 0) = 1 AND NOT ${blocked} AND (t.permission_bits & ?) <> 0)`;
      where += narrowing.canAct ? ` AND ${canAct}` : ` AND NOT ${canAct}`;
      params.push(...subjects, narrowing.permissionMask);
    }
    const from = `FROM client_link l
      JOIN company c ON c.id = l.client_id
      JOIN access_template t ON t.id = l.template_id
      LEFT JOIN client_relation r ON r.office_id = l.office_id AND r.client_id = l.client_id
      WHERE ${where}`;
    const { first, after } = window;
    const m = this.db.manager;
    const rows = await this.db.read(
      `SELECT l.client_id AS l__client_id, COALESCE(r.api_access, 0) AS r__api_access, ${blocked} AS b__blocked,
         ${prefixedColumns(m, Company, 'c', 'c__')}, ${prefixedColumns(m, AccessTemplate, 't', 't__')}
       ${from}${after === null ? '' : ' AND l.client_id > ?'} ORDER BY l.client_id LIMIT ?`,
      [...subjects, ...params, ...(after === null ? [] : [after]), first + 1],
    );
    const clients = hydrate(m, Company, rows, 'c__');
    const templates = hydrate(m, AccessTemplate, rows, 't__');
    return {
      rows: rows.map((row, i) => ({
        client: clients[i],
        template: templates[i],
        apiAccess: Number(row.r__api_access) === 1,
        blockedByClient: Number(row.b__blocked) === 1,
      })),
      count: () => this.db.read(`SELECT COUNT(*) AS n ${from}`, params).then((r) => Number(r[0].n)),
    };
  }
}
