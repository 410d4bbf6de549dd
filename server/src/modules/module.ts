import type { Database } from '../db/database';
import type { Logger } from '../shared/logger';
import type { AttemptLimits, ServiceSettings } from './service-settings';

/** What every module's services are built from, once at start-up. */
export interface ServiceDependencies {
  readonly db: Database;
  readonly config: ServiceSettings;
  readonly log: Logger;
  readonly rateLimits: AttemptLimits;
}

/** Background work a module runs while the server runs (buffered writers, the event engine). */
export interface BackgroundWork {
  start(): void;
  /** Finishes what is buffered (nothing is lost on a graceful stop). */
  stop(): Promise<void>;
}

/** A decorated class: an entity for TypeORM, a resolver for type-graphql. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- both libraries take classes as Function
export type Class = Function;

/**
 * One module of the domain (a folder of modules/) and what it brings to the server: its tables,
 * its GraphQL resolvers, its services (their names become fields of `Services`), the records its
 * relation fields load by id (`Loaders.byId`), and its background work. modules/registry.ts lists
 * the modules; the entity list, the schema's resolvers, the services and the loaders are derived
 * from it, so a new module is one descriptor and one line there.
 */
export interface ModuleDescriptor<S extends object, R extends Record<string, Class>> {
  readonly name: string;
  readonly entities: readonly Class[];
  readonly resolvers: readonly Class[];
  readonly services: (deps: ServiceDependencies) => S;
  readonly recordsById: R;
  readonly background: (services: S) => readonly BackgroundWork[];
}

/** Declares a module; the parts it does not have are empty. */
export function defineModule<
  S extends object = Record<never, never>,
  R extends Record<string, Class> = Record<never, never>,
>(module: Pick<ModuleDescriptor<S, R>, 'name'> & Partial<ModuleDescriptor<S, R>>): ModuleDescriptor<S, R> {
  return {
    name: module.name,
    entities: module.entities ?? [],
    resolvers: module.resolvers ?? [],
    services: module.services ?? (() => ({}) as S),
    recordsById: module.recordsById ?? ({} as R),
    background: module.background ?? (() => []),
  };
}

/**
 * Declares a module of one record type: its entity is the module's only table and the record its
 * relation fields load by id, under the name given (`{ company: Company }`).
 */
export function defineRecordModule<S extends object, N extends string, E extends Class>(module: {
  name: string;
  record: Record<N, E>;
  resolvers: readonly Class[];
  services: (deps: ServiceDependencies) => S;
}): ModuleDescriptor<S, Record<N, E>> {
  return defineModule({
    name: module.name,
    entities: Object.values<E>(module.record),
    resolvers: module.resolvers,
    services: module.services,
    recordsById: module.record,
  });
}
