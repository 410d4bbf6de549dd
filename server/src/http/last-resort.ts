import type { Logger } from '../shared/logger';
import { redactCredentials } from './respond';

function describe(error: unknown): { name: string; message: string; stack: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: redactCredentials(e.message), stack: redactCredentials(e.stack ?? '') };
}

/**
 * The process's last line, for faults no request handler caught. Both are logged at error (with
 * credentials blanked) and the process keeps serving:
 * - an unhandled rejection is one promise nobody awaited; nothing else is affected.
 * - an uncaught exception is kept too, by decision. Nøkkel's durable state is in the database,
 *   where a half-done change is rolled back by its transaction; what an exception can leave
 *   behind in memory is a rate-limit counter, a cache entry or a socket, all of which expire.
 *   Exiting instead would drop every tenant's requests in flight and hand anyone who finds such a
 *   fault a way to take the service down at will. The log line is the signal to fix it.
 */
export function installLastResortHandlers(log: Logger, target: NodeJS.Process = process): void {
  target.on('unhandledRejection', (reason) => {
    log.error({ err: describe(reason) }, 'unhandled promise rejection (kept serving)');
  });
  target.on('uncaughtException', (error, origin) => {
    log.error({ err: describe(error), origin }, 'uncaught exception (kept serving)');
  });
}
