import DataLoader from 'dataloader';
import { In, type EntityTarget, type FindOptionsWhere } from 'typeorm';
import type { Database } from '../db/database';
import { AccessTemplate } from '../modules/clients/access-template.entity';
import { Application } from '../modules/applications/application.entity';
import { Company } from '../modules/companies/company.entity';
import { Customer } from '../modules/business/customer.entity';
import { Employee } from '../modules/employees/employee.entity';
import { UserKey } from '../modules/keys/user-key.entity';

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
 * every relation field, so a list of N items costs one query per relation, not N.
 */
export function createLoaders(db: Database) {
  const keyed = new Map<string, DataLoader<string, unknown>>();
  return {
    company: byId(db, Company),
    employee: byId(db, Employee),
    application: byId(db, Application),
    accessTemplate: byId(db, AccessTemplate),
    userKey: byId(db, UserKey),
    customer: byId(db, Customer),
    /** A loader per distinct argument set, e.g. one per `clients(first, after)` of a list of keys. */
    keyed<K, V>(name: string, args: unknown, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
      const id = `${name}:${JSON.stringify(args)}`;
      let loader = keyed.get(id) as DataLoader<K, V> | undefined;
      if (!loader) {
        loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
        keyed.set(id, loader as DataLoader<string, unknown>);
      }
      return loader;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
