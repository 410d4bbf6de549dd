import { currentWorkScope } from './work-scope';

interface PooledConnection {
  release(): void;
}

interface MasterConnectionSource {
  obtainMasterConnection(): Promise<PooledConnection>;
}

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
      // the request's tenant (work-scope.ts); a transaction's own calls are never held back
      const scope = currentWorkScope();
      const tenant = scope && !scope.inTransaction ? scope.tenant : null;
      if (tenant === null) return original();
      await this.acquire(tenant);
      let connection: PooledConnection;
      try {
        connection = await original();
      } catch (error) {
        this.release(tenant);
        throw error;
      }
      // the pool hands out the same connection objects again: the wrapper is removed on release
      const release = connection.release;
      connection.release = () => {
        connection.release = release;
        this.release(tenant);
        release.call(connection);
      };
      return connection;
    };
  }

  /** Connections a tenant holds now (for tests). */
  holding(tenant: string): number {
    return this.held.get(tenant) ?? 0;
  }

  acquire(tenant: string): Promise<void> {
    const held = this.held.get(tenant) ?? 0;
    if (held < this.perTenant) {
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
    if (left < this.perTenant) this.waiting.get(tenant)?.[0]?.();
  }
}
