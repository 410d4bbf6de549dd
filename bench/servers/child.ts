import '../production-env';
import 'reflect-metadata';
import { startRawServer } from '../baseline/raw-server';
import { RssSampler, rssMb } from '../rss';
import { ownUsage, sendToBench } from '../child-process';
import type { DatabaseConfig } from '../../server/src/db/database';
import type { NokkelServer } from '../../server/src/server';
import type * as Nokkel from '../nokkel';
import type { FromServer, ServerKind, ToServer } from './protocol';

/**
 * Runs in a child process of the bench: serves one of this release's servers — Nøkkel with either
 * executor, or the raw baseline — on the bench's database, alone in its process, as production
 * runs a server. The bench reads the process's CPU time and peak memory from here.
 */

const send = (message: FromServer): void => sendToBench(message);
const heap = new RssSampler();
let nokkel: NokkelServer | null = null;
let stop: (() => Promise<string[]>) | null = null;

async function start(kind: ServerKind, config: DatabaseConfig): Promise<void> {
  if (kind === 'raw') {
    const raw = await startRawServer(config);
    stop = async () => {
      await raw.close();
      return [];
    };
    heap.start();
    send({ type: 'ready', url: raw.url, rssMb: rssMb() });
    return;
  }
  // loaded only here: the raw baseline's process holds none of Nøkkel's modules
  const { createBenchServer } = require('../nokkel') as typeof Nokkel; // eslint-disable-line @typescript-eslint/no-require-imports
  const { server, logLines } = await createBenchServer(config, kind);
  nokkel = server;
  const url = await server.listen(0, '127.0.0.1');
  stop = async () => {
    await server.close();
    return logLines.filter((l) => /"level":(40|50|60)/.test(l));
  };
  heap.start();
  send({ type: 'ready', url, rssMb: rssMb() });
}

async function handle(message: ToServer): Promise<void> {
  switch (message.type) {
    case 'start':
      return start(message.kind, message.database);
    case 'usage':
      return send({ type: 'usage', ...ownUsage(), heapMb: heap.heapMb, rssMb: rssMb() });
    case 'counting':
      nokkel?.setStatementCounting(message.on);
      return send({ type: 'done' });
    case 'relay':
      await nokkel?.services.events.engine.relay.relayAll(new Date());
      return send({ type: 'done' });
    case 'stop': {
      const warnings = await (stop ? stop() : Promise.resolve([])).catch(() => []);
      send({ type: 'stopped', warnings });
      process.disconnect?.();
    }
  }
}

process.on('message', (message: ToServer) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    if (message.type === 'start') {
      process.exitCode = 1;
      process.disconnect?.();
    }
  });
});
