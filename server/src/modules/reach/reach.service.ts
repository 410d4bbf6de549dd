import type { Database } from '../../db/database';
import { placeholders } from '../../db/dialect';
import { hydrate, prefixedColumns } from '../../db/hydrate';
import { isDeactivated } from '../../rules/people';
import { blockSubjectsOfKey, canActFilter, reachAtClient } from '../../rules/reach';
import { keyStatusAt } from '../../rules/keys';
import { UserKeyKind, UserKeyStatus } from '../../shared/domain-enums';
import { type Page, type PageArgs } from '../../shared/pagination';
import { decodeCursor, encodeCursor, pageSize, toPage } from '../../db/pagination';
import { AccessTemplate } from '../clients/access-template.entity';
import { Company } from '../companies/company.entity';
import type { Employee } from '../employees/employee.entity';
import type { UserKey } from '../keys/user-key.entity';
import type { KeyReach } from './reach.types';

export interface ReachArgs extends PageArgs {
  canAct?: boolean | null;
}

/** R33: whether the client holds a block on one of the subjects, for the office of the link `l`. */
function blockedSql(subjects: number): string {
  return `EXISTS (SELECT 1 FROM client_block b WHERE b.client_id = l.client_id AND b.office_id = l.office_id AND b.subject_id IN (${placeholders(subjects)}))`;
}

/**
 * R32: where an accountant key can act — one node per linked client, with the effective
 * permissions and the first reason it cannot act — a keyset page (by client id) in one statement
 * whatever the page size: the links with their client, template, the client's switch and block.
 */
export class ReachService {
  constructor(private readonly db: Database) {}

  async reach(key: UserKey, owner: Employee, office: Company, args: ReachArgs, now: Date): Promise<Page<KeyReach>> {
    const first = pageSize(args.first);
    const after = decodeCursor(args.after, 1)?.[0] ?? null;
    const keyLevel = {
      keyActive: keyStatusAt(key, now) === UserKeyStatus.ACTIVE,
      ownerActive: !isDeactivated(owner.permissionSet),
      officeIntegrationsActive: office.integrationsActivatedAt != null,
    };
    const filter = canActFilter(keyLevel, key.permissionSet, owner.permissionSet);
    const nothing = key.kind !== UserKeyKind.ACCOUNTANT || (args.canAct === true && !filter.anyLinkCanAct);
    if (nothing)
      return toPage<KeyReach>(
        [],
        first,
        () => '',
        () => 0,
      );

    const subjects = blockSubjectsOfKey(key);
    const blocked = blockedSql(subjects.length);
    let where = 'l.grantee_id = ?';
    const params: unknown[] = [key.id];
    if (args.canAct != null && filter.anyLinkCanAct) {
      // the database pages through the links reachAtClient would let act (see rules/reach#canActFilter)
      const canAct = `(COALESCE(r.api_access, 0) = 1 AND NOT ${blocked} AND (t.permission_bits & ?) <> 0)`;
      where += args.canAct ? ` AND ${canAct}` : ` AND NOT ${canAct}`;
      params.push(...subjects, filter.permissionMask.bits);
    }
    const from = `FROM client_link l
      JOIN company c ON c.id = l.client_id
      JOIN access_template t ON t.id = l.template_id
      LEFT JOIN client_relation r ON r.office_id = l.office_id AND r.client_id = l.client_id
      WHERE ${where}`;
    const m = this.db.manager;
    const rows = await this.db.read(
      `SELECT l.client_id AS l__client_id, COALESCE(r.api_access, 0) AS r__api_access, ${blocked} AS b__blocked,
         ${prefixedColumns(m, Company, 'c', 'c__')}, ${prefixedColumns(m, AccessTemplate, 't', 't__')}
       ${from}${after === null ? '' : ' AND l.client_id > ?'} ORDER BY l.client_id LIMIT ?`,
      [...subjects, ...params, ...(after === null ? [] : [after]), first + 1],
    );
    const clients = hydrate(m, Company, rows, 'c__');
    const templates = hydrate(m, AccessTemplate, rows, 't__');
    const nodes = rows.map((row, i): KeyReach => {
      const at = reachAtClient(
        {
          ...keyLevel,
          linked: true,
          apiAccess: Number(row.r__api_access) === 1,
          blockedByClient: Number(row.b__blocked) === 1,
        },
        key.permissionSet,
        owner.permissionSet,
        templates[i].permissionSet,
      );
      return {
        client: clients[i],
        template: templates[i],
        effectivePermissions: at.effectivePermissions.toArray(),
        canAct: at.canAct,
        blockedReason: at.blockedReason,
      };
    });
    return toPage(
      nodes,
      first,
      (node) => encodeCursor([node.client.id]),
      () => this.db.read(`SELECT COUNT(*) AS n ${from}`, params).then((r) => Number(r[0].n)),
    );
  }
}
