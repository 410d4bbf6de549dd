import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { issueSecret } from '../../server/src/auth/secrets';
import { installLastResortHandlers } from '../../server/src/http/last-resort';
import { createLogger } from '../../server/src/shared/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('info', destination), lines };
}

test('an unhandled rejection and an uncaught exception are logged at error, without secrets, and nothing exits', async () => {
  const { log, lines } = capture();
  const fakeProcess = new EventEmitter();
  installLastResortHandlers(log, fakeProcess as unknown as NodeJS.Process);
  const secret = issueSecret('nkl').token;
  fakeProcess.emit('unhandledRejection', new Error(`lookup failed for ${secret}`), Promise.resolve());
  fakeProcess.emit('uncaughtException', new TypeError(`bad state near ${secret}`), 'uncaughtException');
  await new Promise((resolve) => setImmediate(resolve));
  const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
  expect(entries.map((e) => [e.level, e.msg])).toEqual([
    [50, 'unhandled promise rejection (kept serving)'],
    [50, 'uncaught exception (kept serving)'],
  ]);
  expect(lines.join('\n')).not.toContain(secret);
  expect(lines.join('\n')).toContain('nkl_[redacted]');
});
