import { sessionsModule } from './sessions/sessions.module';
import { viewerModule } from './viewer/viewer.module';
import { companiesModule } from './companies/companies.module';
import { employeesModule } from './employees/employees.module';
import { applicationsModule } from './applications/applications.module';
import { keysModule } from './keys/keys.module';
import { clientsModule } from './clients/clients.module';
import { businessModule } from './business/business.module';
import { auditModule } from './audit/audit.module';
import { nodesModule } from './nodes/nodes.module';
import { eventsModule } from './events/events.module';
import { reachModule } from './reach/reach.module';
import { usageModule } from './usage/usage.module';
import type { BackgroundWork, ServiceDependencies } from './module';

/**
 * Every module of the domain. The order is the order their resolvers are given to the schema
 * builder; everything else does not depend on it.
 */
export const MODULES = [
  sessionsModule,
  viewerModule,
  companiesModule,
  employeesModule,
  applicationsModule,
  keysModule,
  clientsModule,
  businessModule,
  auditModule,
  nodesModule,
  eventsModule,
  reachModule,
  usageModule,
] as const;

type Module = (typeof MODULES)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every entity of the data model. */
export const ENTITIES = MODULES.flatMap((m) => m.entities);

/** Every GraphQL resolver class, module by module. */
export const RESOLVERS = MODULES.flatMap((m) => m.resolvers);

/** The services of every module, by the names the modules give them. */
export type ModuleServices = UnionToIntersection<ReturnType<Module['services']>>;

/** The records relation fields load by id (`Loaders.byId`), by name. */
export const RECORDS_BY_ID = Object.assign({}, ...MODULES.map((m) => m.recordsById)) as UnionToIntersection<
  Module['recordsById']
>;

/** Builds every module's services once; also returns the background work they run. */
export function buildModuleServices(deps: ServiceDependencies): {
  services: ModuleServices;
  background: BackgroundWork[];
} {
  const services = {} as Record<string, unknown>;
  const background: BackgroundWork[] = [];
  for (const module of MODULES) {
    const own = module.services(deps);
    for (const name of Object.keys(own)) {
      if (name in services || name in deps) throw new Error(`two modules name a service ${name} (${module.name})`);
    }
    Object.assign(services, own);
    background.push(...(module.background as (s: object) => readonly BackgroundWork[])(own));
  }
  return { services: services as ModuleServices, background };
}
