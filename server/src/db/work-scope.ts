import { AsyncLocalStorage } from 'node:async_hooks';

/** The SQL statements counted in a scope (tests and benchmarks read them). */
export interface StatementTally {
  statements: number;
  log?: string[];
}

/**
 * What the database layer knows about the work it is doing: whose it is, where its reads may go,
 * whether it is inside a transaction, and whether its statements are counted. One request (or one
 * counted piece of work in a test) is one scope.
 *
 * It is one AsyncLocalStorage on purpose: on Node 20 every AsyncLocalStorage that was ever entered
 * adds work to the creation of every promise in the process, and a GraphQL request creates
 * hundreds. Four separate ones (tenant, replica, transaction, counting) cost a measurable share of
 * a partner read (docs/PERFORMANCE.md).
 */
export interface WorkScope {
  /** The company whose request this is, for the database pool's share; set once the cost plugin knows it. */
  tenant: string | null;
  /** A heavy operation (HEAVY_OPERATION_COST or more): its plain statements run one at a time (pool-share.ts). */
  heavy?: boolean;
  /** Whether lag-tolerant reads may go to a replica (a query operation, never a mutation). */
  replicaAllowed: boolean;
  /** Inside Database.transaction: the transaction's statements are never held back (no hold-and-wait). */
  inTransaction: boolean;
  /** Where statements are counted, when they are. Shared by reference with nested scopes. */
  tally: StatementTally | null;
}

const storage = new AsyncLocalStorage<WorkScope>();

/** The scope of the work running now, if any. */
export function currentWorkScope(): WorkScope | undefined {
  return storage.getStore();
}

/** Runs `fn` as one request's database work: no tenant yet, reads on the primary, counted if `tally` is given. */
export function inRequestScope<T>(fn: () => T, tally: StatementTally | null = null): T {
  return storage.run({ tenant: null, replicaAllowed: false, inTransaction: false, tally }, fn);
}

/** Runs `fn` as the current scope with some of its parts replaced (a transaction, a tenant in a test). */
export function inScopeWith<T>(parts: Partial<WorkScope>, fn: () => T): T {
  const current = storage.getStore();
  return storage.run(
    { tenant: null, replicaAllowed: false, inTransaction: false, tally: null, ...current, ...parts },
    fn,
  );
}
