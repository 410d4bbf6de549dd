import type { Database } from '../../db/database';
import { placeholders } from '../../db/dialect';
import { hydrate, prefixedColumns } from '../../db/hydrate';
import type { CursorValue } from '../../db/pagination';
import { Application } from '../applications/application.entity';
import { AccessTemplate } from '../clients/access-template.entity';
import { ClientRelation } from '../clients/client-relation.entity';
import { Company } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';
import { UserKey } from '../keys/user-key.entity';

/** One link of an office at the client, as the client's panel shows it. */
export interface OfficeLinkRow {
  linkId: string;
  officeId: string;
  template: AccessTemplate;
  /** The linked key, or null for a linked employee. */
  userKey: UserKey | null;
  /** The linked employee, or the key's owner. */
  person: Employee;
  application: Application | null;
  blockedByClient: boolean;
}

/** The client panel's reads (R33), prepared statements outside transactions. */
export class ClientPanelRepository {
  constructor(private readonly db: Database) {}

  /** The offices keeping the client's books with the client's relation to each, in one statement. */
  async officesOfClient(clientId: string, limit: number): Promise<{ relation: ClientRelation; office: Company }[]> {
    const m = this.db.manager;
    const rows = await this.db.read(
      `SELECT ${prefixedColumns(m, ClientRelation, 'r', 'r__')}, ${prefixedColumns(m, Company, 'o', 'o__')}
       FROM client_relation r JOIN company o ON o.id = r.office_id WHERE r.client_id = ? ORDER BY r.office_id LIMIT ?`,
      [clientId, limit],
    );
    const relations = hydrate(m, ClientRelation, rows, 'r__');
    const offices = hydrate(m, Company, rows, 'o__');
    return relations.map((relation, i) => ({ relation, office: offices[i] }));
  }

  /**
   * A window of each office's links at the client (ordered by link id, `first + 1` each), for
   * several offices in one statement: the link, its template, the key and its application, the
   * person (the linked employee or the key's owner) and whether the client blocks one of them.
   */
  async linksPerOffice(
    clientId: string,
    officeIds: string[],
    window: { first: number; after: CursorValue | null },
  ): Promise<OfficeLinkRow[]> {
    const { first, after } = window;
    const m = this.db.manager;
    const rows = await this.db.read(
      `SELECT l.id AS l__id, l.office_id AS l__office_id,
         EXISTS (SELECT 1 FROM client_block b WHERE b.client_id = l.client_id AND b.office_id = l.office_id
                 AND b.subject_id IN (l.grantee_id, p.id, k.application_id)) AS b__blocked,
         ${prefixedColumns(m, AccessTemplate, 't', 't__')}, ${prefixedColumns(m, UserKey, 'k', 'k__')},
         ${prefixedColumns(m, Employee, 'p', 'p__')}, ${prefixedColumns(m, Application, 'a', 'a__')}
       FROM (
         SELECT w.*, ROW_NUMBER() OVER (PARTITION BY w.office_id ORDER BY w.id) AS page_row
         FROM client_link w
         WHERE w.client_id = ? AND w.office_id IN (${placeholders(officeIds.length)})${after === null ? '' : ' AND w.id > ?'}
       ) l
       JOIN access_template t ON t.id = l.template_id
       LEFT JOIN user_key k ON k.id = l.user_key_id
       JOIN employee p ON p.id = COALESCE(l.employee_id, k.owner_id)
       LEFT JOIN application a ON a.id = k.application_id
       WHERE l.page_row <= ? ORDER BY l.office_id, l.id`,
      [clientId, ...officeIds, ...(after === null ? [] : [after]), first + 1],
    );
    const templates = hydrate(m, AccessTemplate, rows, 't__');
    const keys = hydrate(m, UserKey, rows, 'k__');
    const people = hydrate(m, Employee, rows, 'p__');
    const applications = hydrate(m, Application, rows, 'a__');
    return rows.map((row, i) => ({
      linkId: String(row.l__id),
      officeId: String(row.l__office_id),
      template: templates[i],
      userKey: row.k__id == null ? null : keys[i],
      person: people[i],
      application: row.a__id == null ? null : applications[i],
      blockedByClient: Number(row.b__blocked) === 1,
    }));
  }

  /** How many links the office has at the client (an office's `totalCount`, asked for one office). */
  countLinks(clientId: string, officeId: string): Promise<number> {
    return this.db
      .read('SELECT COUNT(*) AS n FROM client_link WHERE client_id = ? AND office_id = ?', [clientId, officeId])
      .then((r) => Number(r[0].n));
  }
}
