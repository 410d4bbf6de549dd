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

/** The records relation fields load by id, under the name `Loaders.byId` knows them by. */
const RECORDS_BY_ID = {
  company: Company,
  employee: Employee,
  application: Application,
  accessTemplate: AccessTemplate,
  userKey: UserKey,
  customer: Customer,
};

type RecordName = keyof typeof RECORDS_BY_ID;
type RecordOf<N extends RecordName> = InstanceType<(typeof RECORDS_BY_ID)[N]>;

/**
 * Per-request batch loaders (built in the context function, never shared between callers) behind
 * every relation field, so a list of N items costs one query per relation, not N. Each is made on
 * first use: most requests (a partner reading a page) need none.
 */
export class Loaders {
  private readonly made = new Map<string, DataLoader<string, unknown>>();

  constructor(private readonly db: Database) {}

  /** The batch loader of one kind of record by id. */
  byId<N extends RecordName>(name: N): DataLoader<string, RecordOf<N> | null> {
    return this.once(name, () => byId(this.db, RECORDS_BY_ID[name] as EntityTarget<RecordOf<N>>));
  }

  /** The record an optional reference names; null (at once, no query) when there is none. */
  referenced<N extends RecordName>(name: N, id: string | null): Promise<RecordOf<N> | null> | null {
    return id ? this.byId(name).load(id) : null;
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
