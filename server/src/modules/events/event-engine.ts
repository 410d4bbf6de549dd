import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../../db/database';
import type { Logger } from '../../shared/logger';
import { sweepUnusedKeys } from '../keys/key-lifecycle.service';
import { DeliveryWorker } from '../webhooks/delivery-worker';
import { queueWebhookDeliveries } from '../webhooks/queue-deliveries';
import type { SecretBox } from '../webhooks/secret-box';
import type { AddressGuard } from '../webhooks/ssrf-guard';
import { WebhookSender } from '../webhooks/webhook-sender';
import type { EventSettings } from './event-settings';
import { sweepKeyExpiry } from './expiry-sweep';
import { OutboxRelay } from './relay';
import { sweepRetention } from './retention-sweep';
import { claimSweepPeriod, finishSweepPeriod, periodStart } from './sweep-lock';

const DAY = 24 * 60 * 60 * 1000;

/** How long `stop()` lets deliveries in flight finish before interrupting them. */
const STOP_GRACE_MS = 5_000;

interface Sweep {
  name: string;
  intervalMs: number;
  run(now: Date): Promise<Record<string, number>>;
}

/**
 * R38: the event engine of one server process. Every poll interval it runs the due periodic
 * sweeps (once per period across instances), numbers newly committed events and queues their
 * webhook deliveries (the relay), and leases endpoints with due deliveries to send them. All
 * coordination between instances is in the database — row locks with SKIP LOCKED, leases and
 * unique keys — so the same code runs in the embedded single process on SQLite and in many
 * processes on MySQL/MariaDB, with no queue server.
 */
export class EventEngine {
  /** This process's name in leases and sweep records. */
  readonly instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /** Numbers committed events and queues their deliveries (public for tests that count its statements). */
  readonly relay: OutboxRelay;
  private readonly sender: WebhookSender;
  private readonly worker: DeliveryWorker;
  private readonly sweeps: Sweep[];
  /** Endpoints being served by this process, and the task serving each. */
  private readonly serving = new Map<string, Promise<void>>();
  private readonly drain = new AbortController();
  private readonly interrupt = new AbortController();
  private readonly sweptPeriods = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly settings: EventSettings,
    private readonly log: Logger,
    box: SecretBox,
    guard: AddressGuard,
  ) {
    this.relay = new OutboxRelay(db, [queueWebhookDeliveries]);
    this.sender = new WebhookSender(guard, settings.timeoutMs);
    this.worker = new DeliveryWorker(
      db,
      box,
      this.sender,
      {
        instance: this.instance,
        leaseMs: settings.leaseMs,
        backoffBaseMs: settings.backoffBaseMs,
        limits: { retryWindowMs: settings.retryWindowMs, disableAfterMs: settings.disableAfterMs },
        perLease: 50,
      },
      log,
    );
    this.sweeps = [
      {
        name: 'user_key.expiry',
        intervalMs: settings.sweepIntervalMs,
        // R29's unused keys expire first, so their `user_key.expired` goes out in the same transaction
        run: (now) =>
          db.transaction(async (m) => ({
            unusedExpired: await sweepUnusedKeys(m, now),
            notices: await sweepKeyExpiry(m, now),
          })),
      },
      {
        name: 'outbox.retention',
        intervalMs: DAY,
        run: async (now) => {
          await db.transaction((m) => sweepRetention(m, now, settings.retentionMs));
          return {};
        },
      },
    ];
  }

  /** The engine's clock: the system clock unless the settings give another (tests). */
  now(): Date {
    return this.settings.clock?.() ?? new Date();
  }

  /** Starts the background rounds (when EVENTS_WORKER is on). */
  start(): void {
    if (!this.settings.worker || this.stopped || this.timer) return;
    this.log.info({ instance: this.instance }, 'event engine started');
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runRound(false).finally(() => this.schedule(this.settings.pollIntervalMs));
    }, delayMs);
    // the HTTP server keeps the process alive; a forgotten engine alone should not
    this.timer.unref();
  }

  /**
   * One round: sweeps, relay, then deliveries. In the background (`wait` false) the deliveries
   * started are left running while the next rounds relay and claim; `tick` waits for them.
   */
  private async runRound(wait: boolean): Promise<void> {
    const now = this.now();
    await this.step('sweeps', () => this.runSweeps(now));
    await this.step('relay', () => this.relay.relayAll(now));
    await this.step('deliveries', () => this.dispatch(now));
    if (wait) await Promise.allSettled(this.serving.values());
  }

  private async step(name: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      // a round that fails (database away, deadlock) is retried by the next one
      this.log.warn({ step: name, err: (error as Error).message }, 'event engine round failed');
    }
  }

  /** Leases endpoints up to the concurrency limit and starts serving each. */
  private async dispatch(now: Date): Promise<void> {
    if (this.drain.signal.aborted) return;
    const claimed = await this.worker.claim(now, this.settings.concurrency - this.serving.size);
    for (const id of claimed) {
      const task = this.worker
        .serve(id, { drain: this.drain.signal, interrupt: this.interrupt.signal }, () => this.now())
        .finally(() => this.serving.delete(id));
      this.serving.set(id, task);
    }
  }

  private async runSweeps(now: Date): Promise<void> {
    for (const sweep of this.sweeps) {
      const period = periodStart(now, sweep.intervalMs);
      if (this.sweptPeriods.get(sweep.name) === period.getTime()) continue;
      this.sweptPeriods.set(sweep.name, period.getTime());
      if (!(await claimSweepPeriod(this.db, sweep.name, period, this.instance, now))) continue;
      const result = await sweep.run(now);
      await finishSweepPeriod(this.db, sweep.name, period, this.now());
      this.log.info(
        { sweep: sweep.name, period: period.toISOString(), instance: this.instance, ...result },
        'sweep ran',
      );
    }
  }

  /**
   * One whole round, waiting for every delivery it starts (tests drive the engine with it, with
   * EVENTS_WORKER off and a clock of their own).
   */
  async tick(): Promise<void> {
    await this.round;
    const round = this.runRound(true);
    this.round = round;
    await round;
  }

  /**
   * Stops: no new round or delivery starts; deliveries in flight may finish (up to 5 s), then
   * they are interrupted — still PENDING, their endpoints' leases released — so nothing is lost.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.drain.abort();
    const grace = setTimeout(() => this.interrupt.abort(), STOP_GRACE_MS);
    await this.round?.catch(() => undefined);
    await Promise.allSettled(this.serving.values());
    clearTimeout(grace);
    this.sender.close();
  }
}
