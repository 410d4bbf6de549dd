import { currentWorkScope } from './work-scope';

interface PooledConnection {
  release(): void;
}

interface MasterConnectionSource {
  obtainMasterConnection(): Promise<PooledConnection>;
}

/**
 * The cost from which an operation is heavy (a page of 50 keys with their client links costs about
 * 2,150, four searched pages of 100 clients with their counts about 3,200): its plain statements
 * run one at a time, however many root fields it resolves side by side. Each of them may scan
 * thousands of rows for a hundred milliseconds or more; side by side they take every core of the
 * database server, and another tenant's cheap statement waits for CPU behind them. A cheap
 * operation keeps its company's share: its statements are short.
 */
export const HEAVY_OPERATION_COST = 1_000;

/** A tenant's lane for its heavy operations' statements (held to one connection) ends so. */
const HEAVY_LANE = '\u0000heavy';

/**
 * MySQL/MariaDB: one tenant's plain statements hold at most `perTenant` of the pool's connections
 * at once (half of it by default). GraphQL resolves a request's root fields side by side: fifteen
 * searched counts in one request would otherwise take every connection, and another tenant's
 * cheap read would queue behind all of them in the pool. Past its share a tenant's statement
 * waits for one of its own to finish, not the others'.
 *
 * Transactions are not held back (their scope says so), so a request that holds a
 * connection never waits for another; and a wait longer than `maxWaitMs` goes ahead anyway, so the
 * share can delay a statement but never block it for good.
 */
export class PoolShare {
  private readonly held = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(
    readonly perTenant: number,
    private readonly maxWaitMs = 2_000,
  ) {}

  install(driver: MasterConnectionSource): void {
    const original = driver.obtainMasterConnection.bind(driver);
    driver.obtainMasterConnection = async () => {
      const leave = await this.enter();
      if (!leave) return original();
      let connection: PooledConnection;
      try {
        connection = await original();
      } catch (error) {
        leave();
        throw error;
      }
      // the pool hands out the same connection objects again: the wrapper is removed on release
      const release = connection.release;
      connection.release = () => {
        connection.release = release;
        leave();
        release.call(connection);
      };
      return connection;
    };
  }

  /**
   * Waits for a place in the lane of the work running now (work-scope.ts): its tenant's share, or
   * the tenant's one heavy connection when the operation is heavy. Answers how to leave it, or null
   * when the work is not held back (no tenant yet, or inside a transaction). TypeORM's statements
   * take it through the driver (`install`), the prepared reads (`Database.read`) directly.
   */
  async enter(): Promise<(() => void) | null> {
    const scope = currentWorkScope();
    const tenant = scope && !scope.inTransaction ? scope.tenant : null;
    if (tenant === null) return null;
    const lane = scope?.heavy ? tenant + HEAVY_LANE : tenant;
    await this.acquire(lane);
    return () => this.release(lane);
  }

  /** Connections a tenant holds now (for tests). */
  holding(tenant: string): number {
    return this.held.get(tenant) ?? 0;
  }

  /** How many connections a lane may hold: a tenant its share, a tenant's heavy operations one. */
  private limitOf(lane: string): number {
    return lane.endsWith(HEAVY_LANE) ? 1 : this.perTenant;
  }

  acquire(tenant: string): Promise<void> {
    const held = this.held.get(tenant) ?? 0;
    if (held < this.limitOf(tenant)) {
      this.held.set(tenant, held + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(tenant) ?? [];
      const go = () => {
        clearTimeout(timer);
        const at = queue.indexOf(go);
        if (at >= 0) queue.splice(at, 1);
        if (!queue.length) this.waiting.delete(tenant);
        this.held.set(tenant, (this.held.get(tenant) ?? 0) + 1);
        resolve();
      };
      const timer = setTimeout(go, this.maxWaitMs);
      queue.push(go);
      this.waiting.set(tenant, queue);
    });
  }

  release(tenant: string): void {
    const left = (this.held.get(tenant) ?? 1) - 1;
    if (left > 0) this.held.set(tenant, left);
    else this.held.delete(tenant);
    if (left < this.limitOf(tenant)) this.waiting.get(tenant)?.[0]?.();
  }
}
