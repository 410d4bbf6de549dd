import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { testExecutor } from './executor';

export const MAIN = join(__dirname, '../../dist/server/src/main.js');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/**
 * Starts `node dist/server/src/main.js` as `npm start` would (built by `npm test`'s pretest), on a
 * free port and the SQLite file given, and waits until it prints where it listens.
 */
export function startServerProcess(sqlitePath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: `sqlite:${sqlitePath}`,
      SEED_DEMO: 'on',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      GRAPHQL_EXECUTOR: testExecutor(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /running at (http:\/\/[^/\s]+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, output: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}
