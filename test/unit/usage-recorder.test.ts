import type { Database } from '../../server/src/db/database';
import { RequestUsage } from '../../server/src/modules/usage/request-usage';
import { UsageRecorder } from '../../server/src/modules/usage/usage-recorder';
import { usageDay } from '../../server/src/rules/usage';
import type { Logger } from '../../server/src/shared/logger';

/** A database whose writes wait until released, to see the recorder under load. */
function slowDatabase() {
  const writes: { sql: string; rows: number }[] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const db = {
    dialect: 'sqlite',
    manager: {
      async query(sql: string, params: unknown[]) {
        await gate;
        writes.push({ sql, rows: params.length / 6 });
      },
      async insert(_entity: unknown, rows: unknown[]) {
        await gate;
        writes.push({ sql: 'INSERT sensitive_read', rows: rows.length });
      },
    },
  } as unknown as Database;
  return {
    db,
    writes,
    open() {
      release();
    },
    close() {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

const warnings: unknown[] = [];
const log = { warn: (entry: unknown) => warnings.push(entry) } as unknown as Logger;

function sensitiveUsage(): RequestUsage {
  const usage = new RequestUsage();
  usage.sensitiveFields.add('Employee.annualSalary');
  return usage;
}

function request(i: number, usage = sensitiveUsage()) {
  return {
    userKeyId: `key_${i}`,
    keyCompanyId: 'cmp_office',
    companyId: 'cmp_client',
    at: new Date(0),
    failed: false,
    usage,
  };
}

test('R34: the buffer is bounded under load: past the cap new rows are dropped, counted and logged, and the buffer writes early', async () => {
  const db = slowDatabase();
  const recorder = new UsageRecorder(db.db, log, { flushIntervalMs: 60_000, flushAt: 10, maxBuffered: 40 });
  // the writes hang: requests keep coming
  for (let i = 0; i < 100; i++) recorder.noteRequest(request(i));
  // each request is a usage day and a sensitive read (2 rows); an early write took the first 10
  const buffered = recorder as unknown as { days: Map<string, unknown>; reads: unknown[] };
  expect(buffered.days.size + buffered.reads.length).toBeLessThanOrEqual(40);
  expect(recorder.dropped).toBeGreaterThan(0);
  db.open();
  await recorder.stop();
  const written = db.writes.reduce((n, w) => n + w.rows, 0);
  expect(written).toBeGreaterThan(0);
  expect(written).toBeLessThanOrEqual(50);
  expect(warnings).toContainEqual(expect.objectContaining({ dropped: expect.any(Number) }));
});

test('R34: requests of one key, day and company are merged into one row, written in one statement', async () => {
  const db = slowDatabase();
  db.open();
  const recorder = new UsageRecorder(db.db, log, { flushIntervalMs: 60_000, flushAt: 1_000, maxBuffered: 10_000 });
  for (let i = 0; i < 25; i++) recorder.noteRequest(request(1, new RequestUsage()));
  await recorder.flush();
  expect(db.writes).toEqual([{ sql: expect.stringContaining('INSERT INTO key_usage_day'), rows: 1 }]);
});

test('R34: a usage day is the UTC calendar day of each moment, whatever day was asked before', () => {
  const moments = [
    '2026-11-30T23:59:59.999Z',
    '2026-12-01T00:00:00.000Z',
    '2026-11-30T12:00:00.000Z',
    '2026-12-01T23:59:59.999Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00.000Z',
    '2026-11-30T00:00:00.000Z',
  ];
  expect(moments.map((m) => usageDay(new Date(m)))).toEqual(moments.map((m) => m.slice(0, 10)));
  // the same day asked again, from another moment of it
  expect(usageDay(new Date('2026-11-30T01:02:03Z'))).toBe('2026-11-30');
  expect(() => usageDay(new Date(Number.NaN))).toThrow(RangeError);
});
