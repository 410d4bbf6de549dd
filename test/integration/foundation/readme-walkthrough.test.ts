import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseKind } from '../../testkit/database';
import { startServerProcess, type ServerProcess } from '../../testkit/server-process';

/** The README's walkthrough of the help article, run as a newcomer would: the server as `npm start` runs it, then the script. */
const onSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

onSqlite('the README walkthrough (scripts/walkthrough.sh) against the demo data', () => {
  let dir: string;
  let server: ServerProcess;
  let output: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nokkel-walkthrough-'));
    server = await startServerProcess(join(dir, 'db.sqlite'));
    const run = await promisify(execFile)('bash', [join(__dirname, '../../../scripts/walkthrough.sh')], {
      env: { ...process.env, URL: `${server.url}/graphql` },
    });
    output = run.stdout;
  }, 60_000);

  afterAll(() => {
    server?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('R4, R2, R9: the user key on Ola — only his permissions work, no more can be granted, a restore retires the old secret', () => {
    expect(output).toContain('effective: ["LOGIN","HOURS_REGISTER"]');
    expect(output).toContain('FORBIDDEN: Query.customers requires the CUSTOMER_READ permission');
    expect(output).toContain('PERMISSION_CEILING_EXCEEDED: Cannot grant CUSTOMER_READ');
    expect(output).toContain('old secret: UNAUTHENTICATED');
    expect(output).toContain('new secret: Ola Hansen');
  });

  test('R16, R17, R18: the accountant key linked both ways acts at the client, and the client’s switch stops it there only', () => {
    expect(output).toContain('"linkedCount": 2');
    expect(output).toMatch(/"name": "Kun lese",\s+"permissions": \[\s+"CUSTOMER_READ",\s+"INVOICE_READ"/);
    expect(output).toContain('without X-Company-Id: An accountant key acts only at the clients it is linked to');
    expect(output).toContain('at Bakeri:    CLIENT_API_ACCESS_DISABLED');
    expect(output).toContain('at Fjord Fisk: 3 customers');
    expect(output).toContain('switched on again, at Bakeri: 3 customers');
  });

  test('the secrets never appear in the server’s output', () => {
    expect(server.output()).not.toMatch(/\bnk[ls]_[0-9A-Za-z]{20,}/);
  });
});
