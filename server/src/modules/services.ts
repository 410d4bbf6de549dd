import type { Database } from '../db/database';
import type { Logger } from '../shared/logger';
import type { BackgroundWork, ServiceDependencies } from './module';
import { buildModuleServices, type ModuleServices } from './registry';
import type { AttemptLimits, ServiceSettings } from './service-settings';

export type { AttemptLimits, ServiceSettings } from './service-settings';

/**
 * The domain services of one server, built once at start-up: each module's services under the
 * names its descriptor gives them (modules/registry.ts), and what they were built from.
 */
export type Services = Readonly<ModuleServices> &
  ServiceDependencies & {
    /** The modules' background work, started and stopped with the server. */
    readonly background: readonly BackgroundWork[];
  };

/** Builds the services of every module. */
export function createServices(
  db: Database,
  config: ServiceSettings,
  log: Logger,
  rateLimits: AttemptLimits,
): Services {
  const deps: ServiceDependencies = { db, config, log, rateLimits };
  const { services, background } = buildModuleServices(deps);
  return { ...services, ...deps, background };
}
