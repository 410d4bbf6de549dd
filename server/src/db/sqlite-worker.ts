import { Worker } from 'node:worker_threads';

/** What a worker answers for one statement. */
export type WorkerAnswer =
  /** A statement that returns rows; `blobs` when some value is a BLOB (a Uint8Array after the crossing). */
  | { rows: Record<string, unknown>[]; blobs: boolean }
  /** A statement that writes: better-sqlite3's `run` result. */
  | { changes: number; lastInsertRowid: number | bigint }
  /** A read-only request for a statement that is not a plain read: run it on the writer instead. */
  | { notRead: true }
  /** The statement failed: better-sqlite3's error, its class named, to be rebuilt on this side. */
  | { error: { name: string; message: string; code?: string; sqlite: boolean } };

/** How a worker opens its connection. */
export interface WorkerOptions {
  /** The database file (never ":memory:", which is private to one connection). */
  path: string;
  /** A read-only connection (a reader), or the writing connection. */
  readonly: boolean;
  /** PRAGMAs run once the connection is open, e.g. `foreign_keys = ON`. */
  pragmas: string[];
  /** Prepared statements kept per connection (by SQL text). */
  cacheSize: number;
}

/**
 * The worker's code: plain CommonJS JavaScript run with `eval`, so the same text works from the
 * TypeScript sources (tests) and from dist/ (the server), with no file of its own to build or find.
 * It owns one better-sqlite3 connection and runs one statement per message, in arrival order.
 */
const SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.library);
const { path, readonly, pragmas, cacheSize } = workerData.options;
const db = new Sqlite(path, { readonly, fileMustExist: true });
for (const pragma of pragmas) db.pragma(pragma);
const statements = new Map();
function statement(sql) {
  let found = statements.get(sql);
  if (!found) {
    found = db.prepare(sql);
    if (statements.size >= cacheSize) statements.delete(statements.keys().next().value);
    statements.set(sql, found);
  }
  return found;
}
// a Buffer crosses as a plain Uint8Array: bind it as the Buffer it was
const bound = (value) =>
  value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
function hasBlob(rows) {
  for (const row of rows) for (const key in row) if (row[key] instanceof Uint8Array) return true;
  return false;
}
parentPort.on('message', (message) => {
  if (message.close) {
    statements.clear();
    db.close();
    parentPort.close();
    return;
  }
  const { id, sql, params, readOnly } = message;
  try {
    const prepared = statement(sql);
    if (readOnly && !prepared.reader) return parentPort.postMessage({ id, answer: { notRead: true } });
    const values = params.map(bound);
    if (prepared.reader) {
      const rows = prepared.all(...values);
      parentPort.postMessage({ id, answer: { rows, blobs: hasBlob(rows) } });
    } else {
      const { changes, lastInsertRowid } = prepared.run(...values);
      parentPort.postMessage({ id, answer: { changes, lastInsertRowid } });
    }
  } catch (error) {
    const e = error || {};
    const answer = { error: { name: String(e.name), message: String(e.message), code: e.code, sqlite: e instanceof Sqlite.SqliteError } };
    parentPort.postMessage({ id, answer });
  }
});
`;

/** Waits this long for a worker to close its connection before it is terminated. */
const CLOSE_WAIT_MS = 5_000;

/**
 * One worker thread owning one better-sqlite3 connection: statements are posted to it and
 * answered by message, so the statement runs while the event loop serves other requests. The
 * thread keeps the process alive only while a statement is outstanding.
 */
export class SqliteWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (a: WorkerAnswer) => void; reject: (e: Error) => void }>();
  private next = 0;
  private stopped: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(options: WorkerOptions) {
    this.worker = new Worker(SOURCE, {
      eval: true,
      workerData: { library: require.resolve('better-sqlite3'), options },
    });
    this.worker.unref();
    this.worker.on('message', (message: { id: number; answer: WorkerAnswer }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      waiting?.resolve(message.answer);
    });
    this.worker.on('error', (error) => this.stop(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.stop(new Error('the SQLite worker has stopped'));
        resolve();
      }),
    );
  }

  get alive(): boolean {
    return this.stopped === null;
  }

  /** Runs one statement; `readOnly` asks for a plain read only (`notRead` otherwise). */
  run(sql: string, params: unknown[], readOnly: boolean): Promise<WorkerAnswer> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ id, sql, params, readOnly });
    });
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    this.worker.unref();
  }

  /** Closes the connection after the statements already posted, and ends the thread. */
  async close(): Promise<void> {
    if (this.alive) {
      // statements already posted are still answered; later ones are refused
      this.stopped = new Error('the SQLite worker is closed');
      this.worker.postMessage({ close: true });
    }
    const timer = setTimeout(() => void this.worker.terminate(), CLOSE_WAIT_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Whose reads wait in which lane: a tenant (company), or null for reads outside any. */
export type Lane = string | null;

/**
 * The reader workers, each running one statement at a time. One lane (a tenant) holds at most half
 * of them at once (one of two): a company that sends fifteen searched counts at once runs them one
 * after another on one reader, and another company's read finds the other reader free instead of
 * waiting behind a count (a worker's own queue would serve them first come, first served). A read
 * past its lane's share waits in the lane, and a freed reader serves the lanes in turn.
 */
export class ReaderPool {
  private readonly idle: SqliteWorker[];
  private readonly lanes = new Map<Lane, ((reader: SqliteWorker | null) => void)[]>();
  private readonly busy = new Map<Lane, number>();
  private readonly perLane: number;

  constructor(private readonly workers: SqliteWorker[]) {
    this.idle = [...workers];
    this.perLane = Math.max(1, Math.floor(workers.length / 2));
  }

  /** Every reader, idle or busy. */
  get all(): readonly SqliteWorker[] {
    return this.workers;
  }

  /** A reader for one statement of `lane` (give it back with `release`), or null when no reader runs. */
  async acquire(lane: Lane): Promise<SqliteWorker | null> {
    if (!this.workers.some((w) => w.alive)) return null;
    if ((this.busy.get(lane) ?? 0) < this.perLane) {
      const reader = this.takeIdle();
      if (reader) {
        this.busy.set(lane, (this.busy.get(lane) ?? 0) + 1);
        return reader;
      }
    }
    return new Promise((resolve) => {
      const queue = this.lanes.get(lane) ?? [];
      queue.push(resolve);
      this.lanes.set(lane, queue);
    });
  }

  release(reader: SqliteWorker, lane: Lane): void {
    const left = (this.busy.get(lane) ?? 1) - 1;
    if (left > 0) this.busy.set(lane, left);
    else this.busy.delete(lane);
    if (reader.alive) this.idle.push(reader);
    else if (!this.workers.some((w) => w.alive)) return this.flush();
    this.serve();
  }

  private takeIdle(): SqliteWorker | null {
    while (this.idle.length) {
      const reader = this.idle.pop()!;
      if (reader.alive) return reader;
    }
    return null;
  }

  /** Hands idle readers to the lanes below their share, in turn (the lane served goes to the back). */
  private serve(): void {
    for (const [lane, queue] of this.lanes) {
      if ((this.busy.get(lane) ?? 0) >= this.perLane) continue;
      const reader = this.takeIdle();
      if (!reader) return;
      const next = queue.shift()!;
      this.lanes.delete(lane);
      if (queue.length) this.lanes.set(lane, queue);
      this.busy.set(lane, (this.busy.get(lane) ?? 0) + 1);
      next(reader);
    }
  }

  /** Sends every waiting read elsewhere (the readers are gone). */
  private flush(): void {
    for (const queue of this.lanes.values()) for (const waiting of queue) waiting(null);
    this.lanes.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.flush();
  }
}
