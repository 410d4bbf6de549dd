import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * SQLite has a single connection in TypeORM, so two requests' transactions would nest into each
 * other and a plain read could see another request's uncommitted rows. The gate gives a
 * transaction the connection to itself: other statements wait until it commits or rolls back.
 */
export class SqliteGate {
  private readonly owner = new AsyncLocalStorage<symbol>();
  private holder: symbol | null = null;
  private released: Promise<void> = Promise.resolve();

  install(dataSource: DataSource): void {
    const runner: QueryRunner = dataSource.driver.createQueryRunner('master');
    const original = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    const gated = async (...args: unknown[]): Promise<unknown> => {
      await this.waitTurn();
      return original(...args);
    };
    runner.query = gated as QueryRunner['query'];
  }

  private async waitTurn(): Promise<void> {
    const me = this.owner.getStore();
    while (this.holder !== null && this.holder !== me) await this.released;
  }

  async transaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const me = Symbol('tx');
    while (this.holder !== null) await this.released;
    this.holder = me;
    let release!: () => void;
    this.released = new Promise((resolve) => (release = resolve));
    try {
      return await this.owner.run(me, () => dataSource.transaction(work));
    } finally {
      this.holder = null;
      release();
    }
  }
}
