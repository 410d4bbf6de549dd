import 'reflect-metadata';
import { loadConfig } from './config';
import { describeDatabase } from './db/database';
import { installLastResortHandlers } from './http/last-resort';
import { DEMO_LOGINS, DEMO_PASSWORD } from './seed/demo';
import { createServer } from './server';

/** `npm start`: boots the server, prints where it listens and the demo logins, stops on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const server = await createServer({ config });
  installLastResortHandlers(server.log);
  const url = await server.listen();
  const lines = [
    '',
    `Nøkkel is running at ${url}/graphql  (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  database: ${describeDatabase(config.database)}`,
    `  explorer: ${config.explorer ? `open ${url}/graphql in a browser` : 'off (EXPLORER=on to enable)'}`,
    `  health:   ${url}/healthz   readiness: ${url}/readyz`,
  ];
  if (config.seedDemo) {
    lines.push(
      '',
      `Demo logins (password "${DEMO_PASSWORD}"):`,
      ...Object.values(DEMO_LOGINS).map((l) => `  ${l.email.padEnd(26)} ${l.who}`),
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info(`${signal}: finishing in-flight requests`);
    const force = setTimeout(() => process.exit(1), (config.shutdownDrainMs ?? 0) + 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Nøkkel could not start: ${message}\n`);
  process.exit(1);
});
