import { performance } from 'node:perf_hooks';
import {
  EntityManager,
  InsertResult,
  type DataSource,
  type EntityTarget,
  type ObjectLiteral,
  type QueryDeepPartialEntity,
  type QueryRunner,
  type SelectQueryBuilder,
} from 'typeorm';

/**
 * SQLite binds at most 32,766 parameters per statement. MySQL/MariaDB have no such limit, but the
 * cap costs nothing there at these sizes, so one rule serves both.
 */
const MAX_PARAMETERS = 30_000;

/** What a bulk build wrote into one table. */
export interface BulkTableStats {
  table: string;
  rows: number;
  statements: number;
  /** Time spent in the INSERT statements (building the entities not included). */
  ms: number;
}

type Held = QueryDeepPartialEntity<ObjectLiteral>;

/**
 * The entity manager of SeedBuilder's bulk mode (`new SeedBuilder(new BulkInsertManager(…))`).
 * SeedBuilder inserts one entity at a time; this manager holds its inserts back and writes the
 * consecutive ones into the same table as one multi-row INSERT of up to `rowsPerStatement` rows.
 * So a data set of 100,000 rows (the benchmark's) is built by the same code as the demo data and
 * the test fixtures, with one statement per few thousand rows instead of one per row.
 *
 * Rows reach the database in the order they were built, so foreign keys hold: an insert into
 * another table, an update or a raw query first writes what is held back. Reading while rows are
 * held back would miss them, so it is refused: call flush() first.
 */
export class BulkInsertManager extends EntityManager {
  private heldTarget: EntityTarget<ObjectLiteral> | null = null;
  private held: Held[] = [];
  private readonly limits = new Map<EntityTarget<ObjectLiteral>, number>();
  private readonly stats = new Map<string, BulkTableStats>();

  constructor(
    dataSource: DataSource,
    private readonly rowsPerStatement = 2000,
  ) {
    super(dataSource);
  }

  /**
   * Holds a single entity back (the result carries no identifiers: SeedBuilder sets its own ids);
   * an array is written at once, after what is held back.
   */
  override async insert<Entity extends ObjectLiteral>(
    target: EntityTarget<Entity>,
    entity: QueryDeepPartialEntity<Entity> | QueryDeepPartialEntity<Entity>[],
  ): Promise<InsertResult> {
    if (Array.isArray(entity)) {
      await this.flush();
      return super.insert(target, entity);
    }
    if (this.heldTarget !== target) await this.flush();
    this.heldTarget = target;
    this.held.push(entity as Held);
    if (this.held.length >= this.limitOf(target)) await this.flush();
    return new InsertResult();
  }

  override async update(...args: Parameters<EntityManager['update']>): ReturnType<EntityManager['update']> {
    await this.flush();
    return super.update(...args);
  }

  override async query<T = unknown>(query: string, parameters?: unknown[] | ObjectLiteral): Promise<T> {
    await this.flush();
    return super.query<T>(query, parameters);
  }

  override createQueryBuilder<Entity extends ObjectLiteral>(
    entityClassOrRunner?: EntityTarget<Entity> | QueryRunner,
    alias?: string,
    queryRunner?: QueryRunner,
  ): SelectQueryBuilder<Entity> {
    if (this.held.length > 0)
      throw new Error(`BulkInsertManager: ${this.held.length} rows are held back; call flush() before reading`);
    if (alias === undefined) return super.createQueryBuilder(entityClassOrRunner as QueryRunner | undefined);
    return super.createQueryBuilder(entityClassOrRunner as EntityTarget<Entity>, alias, queryRunner);
  }

  /** Writes the rows held back (one INSERT); the last call of a bulk build. */
  async flush(): Promise<void> {
    const target = this.heldTarget;
    const rows = this.held;
    if (target === null || rows.length === 0) return;
    this.held = [];
    const started = performance.now();
    // SeedBuilder sets every column itself, so nothing is read back (TypeORM would re-select
    // columns that have database defaults, one OR per row)
    await super.createQueryBuilder().insert().into(target).values(rows).updateEntity(false).execute();
    const table = this.dataSource.getMetadata(target).tableName;
    const entry = this.stats.get(table) ?? { table, rows: 0, statements: 0, ms: 0 };
    entry.rows += rows.length;
    entry.statements += 1;
    entry.ms += performance.now() - started;
    this.stats.set(table, entry);
  }

  /** Rows, statements and write time per table, in the order the tables were first written. */
  tables(): BulkTableStats[] {
    return [...this.stats.values()];
  }

  private limitOf(target: EntityTarget<ObjectLiteral>): number {
    let limit = this.limits.get(target);
    if (limit === undefined) {
      const columns = this.dataSource.getMetadata(target).columns.length;
      limit = Math.max(1, Math.min(this.rowsPerStatement, Math.floor(MAX_PARAMETERS / columns)));
      this.limits.set(target, limit);
    }
    return limit;
  }
}
