import type { QueryDeepPartialEntity, SelectQueryBuilder } from 'typeorm';
import { addDaysSql, dialectOf, locked, lockedRow, placeholders, sqlParam, sqlTime } from '../../db/dialect';
import type { Database } from '../../db/database';
import { hydrate, prefixedColumns } from '../../db/hydrate';
import { encodeCursor, keysetWindow, toPage, windowedPages, windowedRows, type Windows } from '../../db/pagination';
import { defineRepository } from '../../db/repository';
import type { COMPROMISE_EDGES, REVOCATION_EDGES } from '../../rules/provenance';
import type { KeyScope } from '../../rules/overview';
import type { Page, PageArgs } from '../../shared/pagination';
import { affectedRows } from '../events/affected-rows';
import { Application } from '../applications/application.entity';
import { Employee } from '../employees/employee.entity';
import { keyStatusSql } from './key-status-sql';
import { UserKeySecret } from './user-key-secret.entity';
import { UserKey, UserKeyStatus } from './user-key.entity';
import type { UserKeyFilter } from './user-key.types';

/** The key columns a revocation follows (R26, R27). */
/** R20: what the key overview asks for: which keys, which page, and the moment their status is read at. */
export interface KeyOverviewQuery {
  filter?: UserKeyFilter | null;
  page: PageArgs;
  now: Date;
}

export type KeyEdge = (typeof REVOCATION_EDGES)[number] | (typeof COMPROMISE_EDGES)[number];

/** R20: narrows a key query to the keys of the scope (visibleKeyScope). */
function scoped(query: SelectQueryBuilder<UserKey>, scope: KeyScope): SelectQueryBuilder<UserKey> {
  query.andWhere('k.companyId = :scopeCompanyId', { scopeCompanyId: scope.companyId });
  if (scope.ownerId !== null) query.andWhere('k.ownerId = :scopeOwnerId', { scopeOwnerId: scope.ownerId });
  return query;
}

/** The user keys' reads and writes, by what they are for; the locks say who waits for whom. */
export const userKeyRepository = defineRepository(UserKey, {
  /**
   * A key of the company, locked for writing: two changes of one key cannot both decide on the
   * same old state, and a revoke holds it while it walks (R26).
   */
  lockedInCompany(id: string, companyId: string): Promise<UserKey | null> {
    return lockedRow(this.manager, UserKey, { id, companyId }, 'pessimistic_write');
  },

  /**
   * R26: the acting key under a shared lock: a revoke, which locks it for writing first, either
   * waits for this transaction or makes it wait and then see the revocation.
   */
  lockedShared(id: string): Promise<UserKey | null> {
    return lockedRow(this.manager, UserKey, { id }, 'pessimistic_read');
  },

  /**
   * Active keys whose `edge` column is one of `ids`, locked for writing. One statement per column
   * (each has its own index), so the locks cover exactly those index ranges: a key created under a
   * locked parent meanwhile waits for this transaction, and the next level of the walk sees it.
   */
  async lockedActiveBy(edge: KeyEdge, ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await locked(
      this.manager
        .createQueryBuilder(UserKey, 'k')
        .select('k.id', 'id')
        .where(`k.${edge} IN (:...ids) AND k.revokedAt IS NULL`, { ids }),
      'pessimistic_write',
    ).getRawMany();
    return rows.map((r) => r.id);
  },

  /**
   * R31: the active keys that one of `hashes` opens now, locked for writing: one primary-key probe
   * per hash, in one statement for the whole report.
   */
  lockedActiveBySecretHashes(hashes: string[], now: Date): Promise<UserKey[]> {
    return locked(
      this.manager
        .createQueryBuilder(UserKey, 'k')
        .innerJoin(UserKeySecret, 'ks', 'ks.userKeyId = k.id')
        .where('ks.secretHash IN (:...list) AND (ks.expiresAt IS NULL OR ks.expiresAt > :now)', { list: hashes, now })
        .andWhere('k.revokedAt IS NULL'),
      'pessimistic_write',
    ).getMany();
  },

  /** R26: revokes the keys among `ids` not yet revoked, in one statement, freeing their names (R7). */
  async revokeActive(ids: string[], now: Date): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .update(UserKey)
      .set({ revokedAt: now, activeNameKey: null })
      .where('id IN (:...ids) AND revoked_at IS NULL', { ids })
      .execute();
  },

  /**
   * R9: writes a restore's new secret only if the key is still at `version`, not revoked, and not
   * restored within the race window (restored at or before `settled`): of concurrent restores, the
   * one conditional UPDATE that matches wins. Whether this one did.
   */
  async replaceSecretUnlessRaced(
    id: string,
    version: number,
    settled: Date,
    change: QueryDeepPartialEntity<UserKey>,
  ): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .update(UserKey)
      .set(change)
      .where('id = :id AND secret_version = :version AND revoked_at IS NULL', { id, version })
      .andWhere('(restored_at IS NULL OR restored_at <= :settled)', { settled })
      .execute();
    return result.affected === 1;
  },

  /** R20: one key of the scope, or null. */
  visible(scope: KeyScope, id: string): Promise<UserKey | null> {
    return scoped(this.manager.createQueryBuilder(UserKey, 'k').where('k.id = :id', { id }), scope).getOne();
  },

  /**
   * Employee.userKeys for a page of employees: a page (newest first) of each owner's keys in the
   * scope, for every owner in one statement (windowed); totals in one more, if selected. An owner
   * outside the scope gets an empty page, as the overview would show.
   */
  async pagesPerOwner(scope: KeyScope, ownerIds: readonly string[], page: PageArgs): Promise<Page<UserKey>[]> {
    const owners = ownerIds.filter((id) => scope.ownerId === null || scope.ownerId === id);
    const windows: Windows = {
      partition: 'owner_id',
      order: 'id',
      ids: owners,
      direction: 'DESC',
      ...keysetWindow(page),
    };
    const manager = this.manager;
    const rows: Record<string, unknown>[] = owners.length
      ? await manager.query(
          `SELECT w.* FROM (
             ${windowedRows('user_key', 'k', windows, 'company_id = ?')}
           ) w WHERE w.page_row <= ? ORDER BY w.owner_id, w.id DESC`,
          [scope.companyId, ...owners, ...(windows.after === null ? [] : [windows.after]), windows.first + 1],
        )
      : [];
    const counts = async () =>
      owners.length
        ? manager
            .query(
              `SELECT owner_id AS id, COUNT(*) AS n FROM user_key WHERE company_id = ? AND owner_id IN (${placeholders(owners.length)}) GROUP BY owner_id`,
              [scope.companyId, ...owners],
            )
            .then((r: { id: string; n: number | string }[]) => new Map(r.map((x) => [x.id, Number(x.n)])))
        : new Map<string, number>();
    return windowedPages(
      { ...windows, ids: ownerIds },
      hydrate(manager, UserKey, rows),
      (k) => k.ownerId,
      (k) => k.id,
      counts,
    );
  },

  /**
   * R29: every active key unused for its company's `expireUnusedAfterDays` (never used: counted
   * from its creation) expires now, in ONE set-based UPDATE whatever the number of companies or
   * keys; the cut-off differs per company, so it is "last use (or creation) + days <= now", written
   * per dialect (the policy days are integers 1–3650 checked on the way in). How many expired.
   */
  expireUnused(now: Date): Promise<number> {
    const since = 'COALESCE(user_key.last_used_at, user_key.created_at)';
    const due = `${addDaysSql(dialectOf(this.manager), since, 'c.key_policy_expire_unused_after_days')} <= ?`;
    return affectedRows(
      this.manager,
      `UPDATE user_key SET expires_at = ?
     WHERE ${keyStatusSql('user_key')[UserKeyStatus.ACTIVE]}
       AND EXISTS (SELECT 1 FROM company c WHERE c.id = user_key.company_id
                   AND c.key_policy_expire_unused_after_days IS NOT NULL AND ${due})`,
      [sqlTime(now), sqlTime(now), sqlTime(now)],
    );
  },
});

const OVERVIEW_STATUS = keyStatusSql('k');

/** The statements of one shape of the overview (which filters it has): built once, then prepared. */
interface OverviewSql {
  first: string;
  after: string;
  count: string;
}

/**
 * R20: a page of the key overview (newest first), owner and application in the same statement
 * (every overview row shows them), and its total if selected. Plain SQL built once per shape of
 * filter and run as a prepared read, not through the query builder: the overview is the heaviest
 * list the product has, and the builder's work was a tenth of its CPU (docs/PERFORMANCE.md).
 */
export class KeyOverviewReads {
  private readonly shapes = new Map<string, OverviewSql>();

  constructor(private readonly db: Database) {}

  async page(scope: KeyScope, { filter, page, now }: KeyOverviewQuery): Promise<Page<UserKey>> {
    const { first, after } = keysetWindow(page);
    // each condition with its parameters, in a fixed order: the shape names which are present
    const conditions: [name: string, sql: string, params: unknown[]][] = [
      ['company', 'k.company_id = ?', [scope.companyId]],
    ];
    if (scope.ownerId !== null) conditions.push(['scope-owner', 'k.owner_id = ?', [scope.ownerId]]);
    if (filter?.employeeId) conditions.push(['owner', 'k.owner_id = ?', [filter.employeeId]]);
    if (filter?.applicationId) conditions.push(['application', 'k.application_id = ?', [filter.applicationId]]);
    if (filter?.kind) conditions.push(['kind', 'k.kind = ?', [filter.kind]]);
    if (filter?.status) {
      const clause = OVERVIEW_STATUS[filter.status];
      conditions.push([`status-${filter.status}`, `(${clause})`, clause.includes('?') ? [now] : []]);
    }
    const sql = this.sqlFor(
      conditions.map(([name]) => name).join('|'),
      conditions.map(([, clause]) => clause),
    );
    const dialect = this.db.dialect;
    const params = conditions.flatMap(([, , values]) => values.map((v) => sqlParam(dialect, v)));
    const rows = await this.db.read(
      after === null ? sql.first : sql.after,
      after === null ? [...params, first + 1] : [...params, after, first + 1],
    );
    const m = this.db.manager;
    const keys = hydrate(m, UserKey, rows, 'k__');
    const owners = hydrate(m, Employee, rows, 'o__');
    const applications = hydrate(m, Application, rows, 'a__');
    keys.forEach((key, i) => {
      key.owner = owners[i];
      key.application = rows[i].a__id == null ? null : applications[i];
    });
    return toPage(
      keys,
      first,
      (key) => encodeCursor([key.id]),
      () => this.db.read(sql.count, params).then((r) => Number(r[0].n)),
    );
  }

  private sqlFor(shape: string, clauses: string[]): OverviewSql {
    let sql = this.shapes.get(shape);
    if (sql) return sql;
    const m = this.db.manager;
    const where = clauses.join(' AND ');
    const select = `SELECT ${prefixedColumns(m, UserKey, 'k', 'k__')}, ${prefixedColumns(m, Employee, 'o', 'o__')},
        ${prefixedColumns(m, Application, 'a', 'a__')}
      FROM user_key k JOIN employee o ON o.id = k.owner_id LEFT JOIN application a ON a.id = k.application_id
      WHERE ${where}`;
    sql = {
      first: `${select} ORDER BY k.id DESC LIMIT ?`,
      after: `${select} AND k.id < ? ORDER BY k.id DESC LIMIT ?`,
      count: `SELECT COUNT(*) AS n FROM user_key k WHERE ${where}`,
    };
    this.shapes.set(shape, sql);
    return sql;
  }
}
