import type { Logger } from '../shared/logger';
import type { Database } from './database';

/**
 * A writer that keeps what requests note in memory and writes it in the background: on a timer
 * (unref'd, so it never keeps the process alive), and once more on a graceful stop.
 */
export abstract class BackgroundWriter {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    protected readonly db: Database,
    protected readonly log: Logger,
  ) {}

  /** How often the timer writes. */
  protected abstract readonly flushIntervalMs: number;

  /** Writes what is noted (called by the timer, on stop, and by tests). */
  abstract flush(): Promise<void>;

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
