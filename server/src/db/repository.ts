import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

// A module's reads that bypass TypeORM — prepared statements on the hot paths (`Database.read`) and
// lag-tolerant reads that may go to a replica (`Database.readLagTolerant`) — never run in a
// transaction, so they need no re-binding: they are a class over `Database` in the same
// `<module>/<name>.repository.ts`, built once by the service.

/** An entity's repository with a module's named queries. */
export type QueryRepository<E extends ObjectLiteral, Q> = Repository<E> & Q;

/**
 * A module's repository as TypeORM advises (`Repository.extend`, re-bound with
 * `manager.withRepository`): named query methods on the entity's repository, reached with the
 * manager at hand, so one method runs in and out of a transaction. The extended repository is
 * built once per data source, on first use (services exist before `Database.connect()`); binding
 * it to a transaction's manager is one small object.
 */
export function defineRepository<E extends ObjectLiteral, Q extends object>(
  entity: EntityTarget<E>,
  queries: Q & ThisType<QueryRepository<E, Q>>,
): (manager: EntityManager) => QueryRepository<E, Q> {
  const extended = new WeakMap<DataSource, QueryRepository<E, Q>>();
  return (manager) => {
    let base = extended.get(manager.connection);
    if (!base) {
      base = manager.connection.manager.getRepository(entity).extend(queries);
      extended.set(manager.connection, base);
    }
    return manager === base.manager ? base : manager.withRepository(base);
  };
}
