import DataLoader from 'dataloader';
import { In, type EntityTarget, type FindOptionsWhere } from 'typeorm';
import type { Database } from '../db/database';
import { AccessTemplate } from './clients/access-template.entity';
import { Application } from './applications/application.entity';
import { Company } from './companies/company.entity';
import { Customer } from './business/customer.entity';
import { Employee } from './employees/employee.entity';
import { UserKey } from './keys/user-key.entity';

function byId<T extends { id: string }>(db: Database, entity: EntityTarget<T>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      const rows = await db.manager.findBy(entity, { id: In([...ids]) } as FindOptionsWhere<T>);
      const found = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: 5000 },
  );
}

/**
 * Per-request batch loaders (built in the context function, never shared between callers) behind
 * every relation field, so a list of N items costs one query per relation, not N. Each is made on
 * first use: most requests (a partner reading a page) need none.
 */
export class Loaders {
  private readonly made = new Map<string, DataLoader<string, unknown>>();

  constructor(private readonly db: Database) {}

  get company(): DataLoader<string, Company | null> {
    return this.once('company', () => byId(this.db, Company));
  }

  get employee(): DataLoader<string, Employee | null> {
    return this.once('employee', () => byId(this.db, Employee));
  }

  get application(): DataLoader<string, Application | null> {
    return this.once('application', () => byId(this.db, Application));
  }

  get accessTemplate(): DataLoader<string, AccessTemplate | null> {
    return this.once('accessTemplate', () => byId(this.db, AccessTemplate));
  }

  get userKey(): DataLoader<string, UserKey | null> {
    return this.once('userKey', () => byId(this.db, UserKey));
  }

  get customer(): DataLoader<string, Customer | null> {
    return this.once('customer', () => byId(this.db, Customer));
  }

  /** A loader per distinct argument set, e.g. one per `clients(first, after)` of a list of keys. */
  keyed<K, V>(name: string, args: unknown, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    return this.once(`${name}:${JSON.stringify(args)}`, () => new DataLoader<K, V>(batch, { maxBatchSize: 1000 }));
  }

  private once<L>(id: string, make: () => L): L {
    let loader = this.made.get(id) as L | undefined;
    if (!loader) {
      loader = make();
      this.made.set(id, loader as DataLoader<string, unknown>);
    }
    return loader;
  }
}
