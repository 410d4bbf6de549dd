import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** One column to copy: where it is in the row, where it goes on the entity, and its conversion if any. */
interface ColumnCopy {
  name: string;
  property: string;
  convert: ((value: unknown) => unknown) | null;
}

interface EntityPlan {
  metadata: EntityMetadata;
  /** The columns by row prefix. */
  byPrefix: Map<string, ColumnCopy[]>;
}

// looking an entity's metadata up walks every entity's metadata: hydration is on the hot reads
const plans = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, EntityPlan>>();

/**
 * How to copy one entity's columns out of a row, worked out once per entity and prefix: text and
 * integer columns are copied as they come; the driver converts the rest (dates, booleans, decimals).
 */
function planFor(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  prefix: string,
): { metadata: EntityMetadata; columns: ColumnCopy[] } {
  const connection = manager.connection;
  let byEntity = plans.get(connection);
  if (!byEntity) plans.set(connection, (byEntity = new Map()));
  let plan = byEntity.get(entity);
  if (!plan) byEntity.set(entity, (plan = { metadata: connection.getMetadata(entity), byPrefix: new Map() }));
  let columns = plan.byPrefix.get(prefix);
  if (!columns) {
    const driver = connection.driver;
    columns = plan.metadata.columns.map((column) => {
      const asIs = !column.transformer && ['varchar', 'text', 'int'].includes(String(column.type));
      return {
        name: prefix + column.databaseName,
        property: column.propertyName,
        convert: asIs ? null : (value: unknown) => driver.prepareHydratedValue(value, column),
      };
    });
    plan.byPrefix.set(prefix, columns);
  }
  return { metadata: plan.metadata, columns };
}

/**
 * The copy of one entity out of rows shaped like `sample`: which of the entity's columns are there
 * is read from it once, not per row (hydration runs on every row of the hot reads).
 */
function hydrator<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  prefix: string,
  sample: Record<string, unknown>,
): (row: Record<string, unknown>) => T {
  const { metadata, columns } = planFor(manager, entity, prefix);
  const present = columns.filter((c) => c.name in sample);
  return (row) => {
    const instance = metadata.create() as Record<string, unknown>;
    for (const c of present) {
      const value = row[c.name];
      instance[c.property] = c.convert === null ? value : c.convert(value);
    }
    return instance as T;
  };
}

/**
 * Turns raw rows of a hand-written query (database column names, or `<prefix>column` for a joined
 * table) into entity instances. The rows of one result have the same columns: which of the
 * entity's are there is read from the first.
 */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: Record<string, unknown>[],
  prefix = '',
): T[] {
  return rows.length ? rows.map(hydrator(manager, entity, prefix, rows[0])) : [];
}

/**
 * `alias.column AS <prefix>column, …` for every column of an entity, or for the columns of the
 * properties named in `only` (a name that is not a column of the entity is a programming error).
 */
export function prefixedColumns(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  alias: string,
  prefix: string,
  only?: readonly string[],
): string {
  const columns = manager.connection.getMetadata(entity).columns;
  const chosen = only ? only.map((p) => columns.find((c) => c.propertyName === p)) : columns;
  return chosen
    .map((c, i) => {
      if (!c) throw new Error(`${String(only?.[i])} is not a column of ${manager.connection.getMetadata(entity).name}`);
      return `${alias}.${c.databaseName} AS ${prefix}${c.databaseName}`;
    })
    .join(', ');
}

/** Hydrates the joined entity of each row once per id, so rows sharing it share one instance. */
export function hydrateShared<T extends ObjectLiteral & { id: string }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: Record<string, unknown>[],
  prefix: string,
): T[] {
  if (!rows.length) return [];
  const make = hydrator(manager, entity, prefix, rows[0]);
  const idColumn = `${prefix}id`;
  const seen = new Map<unknown, T>();
  return rows.map((row) => {
    const id = row[idColumn];
    let instance = seen.get(id);
    if (!instance) {
      instance = make(row);
      seen.set(id, instance);
    }
    return instance;
  });
}
