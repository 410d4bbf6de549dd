import { BackgroundWriter } from '../../db/background-writer';
import { onDuplicateUpdate } from '../../db/dialect';
import type { Database } from '../../db/database';
import { usageDay } from '../../rules/usage';
import { newId } from '../../shared/ids';
import type { Logger } from '../../shared/logger';
import type { RequestUsage } from './request-usage';
import { SensitiveRead } from './sensitive-read.entity';

/** Settings of the usage recorder (R34). */
export interface UsageRecorderOptions {
  /** How often the buffer is written, in milliseconds (default 5,000). */
  flushIntervalMs: number;
  /** Buffered rows (usage days + sensitive reads) that trigger an early write (default 5,000). */
  flushAt: number;
  /** Buffered rows beyond which new ones are dropped and counted until a write frees room (default 50,000). */
  maxBuffered: number;
}

export const DEFAULT_USAGE_RECORDER_OPTIONS: UsageRecorderOptions = {
  flushIntervalMs: 5_000,
  flushAt: 5_000,
  maxBuffered: 50_000,
};

/** One request made with a key, as the recorder is told of it at the end of the request. */
export interface KeyRequest {
  userKeyId: string;
  keyCompanyId: string;
  companyId: string;
  at: Date;
  failed: boolean;
  usage: RequestUsage;
}

interface DayCount {
  userKeyId: string;
  day: string;
  companyId: string;
  requests: number;
  errors: number;
  permissionBits: number;
}

const ROWS_PER_STATEMENT = 500;

/**
 * R34: records key usage per day and acting company, and every sensitive read, without a statement
 * on the request's path: requests are noted in memory and written in batches (one upsert and one
 * insert per 500 rows) by a timer, early when the buffer fills, and on a graceful stop. Memory is
 * bounded: past `maxBuffered` rows, new ones are dropped and the drop is counted and logged.
 */
export class UsageRecorder extends BackgroundWriter {
  private days = new Map<string, DayCount>();
  private reads: SensitiveRead[] = [];
  private writing: Promise<void> = Promise.resolve();
  private pendingWrite = false;
  /** Rows dropped because the buffer was full, since the last write. */
  dropped = 0;

  constructor(
    db: Database,
    log: Logger,
    private readonly options: UsageRecorderOptions = DEFAULT_USAGE_RECORDER_OPTIONS,
  ) {
    super(db, log);
  }

  protected get flushIntervalMs(): number {
    return this.options.flushIntervalMs;
  }

  private get buffered(): number {
    return this.days.size + this.reads.length;
  }

  /** Notes a request made with a key; cheap, never waits for the database. */
  noteRequest(request: KeyRequest): void {
    const day = usageDay(request.at);
    const id = `${request.userKeyId}|${day}|${request.companyId}`;
    let count = this.days.get(id);
    if (!count) {
      if (!this.hasRoom(1 + request.usage.sensitiveFields.size)) return;
      count = {
        userKeyId: request.userKeyId,
        day,
        companyId: request.companyId,
        requests: 0,
        errors: 0,
        permissionBits: 0,
      };
      this.days.set(id, count);
    }
    count.requests += 1;
    if (request.failed) count.errors += 1;
    count.permissionBits |= request.usage.permissions.bits;
    for (const field of request.usage.sensitiveFields) {
      if (!this.hasRoom(1)) return;
      this.reads.push(
        Object.assign(new SensitiveRead(), {
          id: newId('sensitiveRead'),
          at: request.at,
          userKeyId: request.userKeyId,
          keyCompanyId: request.keyCompanyId,
          companyId: request.companyId,
          field,
        }),
      );
    }
    if (this.buffered >= this.options.flushAt && !this.pendingWrite) void this.flush();
  }

  private hasRoom(rows: number): boolean {
    if (this.buffered + rows <= this.options.maxBuffered) return true;
    this.dropped += rows;
    return false;
  }

  /** Writes what is buffered (called by the timer, when the buffer fills, on shutdown and by tests). */
  flush(): Promise<void> {
    this.pendingWrite = true;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    this.pendingWrite = false;
    const days = [...this.days.values()];
    const reads = this.reads;
    const dropped = this.dropped;
    this.days = new Map();
    this.reads = [];
    this.dropped = 0;
    if (dropped) this.log.warn({ dropped }, 'key usage buffer full: usage rows dropped');
    try {
      for (let i = 0; i < days.length; i += ROWS_PER_STATEMENT)
        await this.upsertDays(days.slice(i, i + ROWS_PER_STATEMENT));
      for (let i = 0; i < reads.length; i += ROWS_PER_STATEMENT) {
        await this.db.manager.insert(SensitiveRead, reads.slice(i, i + ROWS_PER_STATEMENT));
      }
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'could not record key usage and sensitive reads');
    }
  }

  /** Adds the counts to the day rows (created when missing), OR-ing the permissions: one statement. */
  private async upsertDays(rows: DayCount[]): Promise<void> {
    const values = rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
    const merge = onDuplicateUpdate(this.db.dialect, ['user_key_id', 'day', 'company_id'], {
      requests: (current, incoming) => `${current} + ${incoming}`,
      errors: (current, incoming) => `${current} + ${incoming}`,
      permission_bits: (current, incoming) => `${current} | ${incoming}`,
    });
    await this.db.manager.query(
      `INSERT INTO key_usage_day (user_key_id, day, company_id, requests, errors, permission_bits) VALUES ${values} ${merge}`,
      rows.flatMap((r) => [r.userKeyId, r.day, r.companyId, r.requests, r.errors, r.permissionBits]),
    );
  }
}
