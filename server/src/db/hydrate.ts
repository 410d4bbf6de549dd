import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

type Setter = (instance: Record<string, unknown>, row: Record<string, unknown>) => void;

const plans = new WeakMap<object, Map<string, Setter[]>>();

/**
 * How to copy one entity's columns out of a row, worked out once per entity and prefix: text and
 * integer columns are copied as they come; the driver converts the rest (dates, booleans, decimals).
 */
function planFor(manager: EntityManager, entity: EntityTarget<ObjectLiteral>, prefix: string): Setter[] {
  const metadata = manager.connection.getMetadata(entity);
  let byPrefix = plans.get(metadata);
  if (!byPrefix) plans.set(metadata, (byPrefix = new Map()));
  let plan = byPrefix.get(prefix);
  if (!plan) {
    const driver = manager.connection.driver;
    plan = metadata.columns.map((column): Setter => {
      const name = prefix + column.databaseName;
      const property = column.propertyName;
      const asIs = !column.transformer && ['varchar', 'text', 'int'].includes(String(column.type));
      return asIs
        ? (instance, row) => {
            if (name in row) instance[property] = row[name];
          }
        : (instance, row) => {
            if (name in row) instance[property] = driver.prepareHydratedValue(row[name], column);
          };
    });
    byPrefix.set(prefix, plan);
  }
  return plan;
}

/**
 * Turns raw rows of a hand-written query (database column names, or `<prefix>column` for a joined
 * table) into entity instances.
 */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: Record<string, unknown>[],
  prefix = '',
): T[] {
  const metadata = manager.connection.getMetadata(entity);
  const plan = planFor(manager, entity, prefix);
  return rows.map((row) => {
    const instance = metadata.create() as Record<string, unknown>;
    for (const set of plan) set(instance, row);
    return instance as T;
  });
}

/** `alias.column AS <prefix>column, …` for every column of an entity, to select a joined table. */
export function prefixedColumns(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  alias: string,
  prefix: string,
): string {
  return manager.connection
    .getMetadata(entity)
    .columns.map((c) => `${alias}.${c.databaseName} AS ${prefix}${c.databaseName}`)
    .join(', ');
}

/** Hydrates the joined entity of each row once per id, so rows sharing it share one instance. */
export function hydrateShared<T extends ObjectLiteral & { id: string }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: Record<string, unknown>[],
  prefix: string,
): T[] {
  const seen = new Map<unknown, T>();
  return rows.map((row) => {
    const id = row[`${prefix}id`];
    let instance = seen.get(id);
    if (!instance) {
      [instance] = hydrate(manager, entity, [row], prefix);
      seen.set(id, instance);
    }
    return instance;
  });
}
