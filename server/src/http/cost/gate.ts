import { RateLimited } from '../../shared/errors';
import { instrument } from '../../shared/instrumentation';

interface Waiter {
  cost: number;
  admit: () => void;
}

export interface CostGateOptions {
  /** How long an operation may wait for room before it is refused (RATE_LIMITED). Default: no limit. */
  maxWaitMs?: number;
  /** Operations one tenant may have waiting; more are refused at once (RATE_LIMITED). Default: no limit. */
  maxWaitingPerTenant?: number;
  /**
   * The share of the capacity (0–1] one tenant's operations may hold at once; a tenant with
   * nothing running is admitted whatever its operation costs. Default: 1 (the whole capacity).
   */
  tenantShare?: number;
}

/**
 * The gate's bounds in production (issue 19): a request waits at most 5 s for room (then it is
 * answered RATE_LIMITED, well inside a client's usual timeout), a company has at most 100 waiting,
 * and one company's operations hold at most a quarter of the capacity at once. On one event-loop
 * thread (and on SQLite, one connection) every admitted operation's statements interleave with
 * everyone else's: a tenant with many heavy operations running would delay another's cheap one
 * by all of them, so one company runs its heavy work a few at a time instead.
 */
export const DEFAULT_COST_GATE_OPTIONS: Required<CostGateOptions> = {
  maxWaitMs: 5_000,
  maxWaitingPerTenant: 100,
  tenantShare: 0.25,
};

/**
 * Admission by cost, fair between tenants: the operations running at once may together cost at
 * most `capacity` points. A large page of keys with their client links builds thousands of objects;
 * letting many run at once only multiplies memory (and garbage-collection time) without finishing
 * any sooner on one CPU. An operation costlier than the capacity runs alone.
 *
 * Each tenant (the acting company) waits in its own queue, first come first served within it. When
 * room frees, the waiting tenant with the least cost running goes next, so one office's backlog of
 * heavy queries delays another tenant's cheap query by at most one admission, not by the backlog.
 * A tenant with nothing running is admitted at once when it fits, even while others wait; a tenant
 * may hold at most its share (`tenantShare`) of the capacity, so its own heavy operations run a few
 * at a time however many it sends.
 * Waiting is bounded: a tenant's backlog past `maxWaitingPerTenant`, or a wait past `maxWaitMs`, is
 * refused with RATE_LIMITED, so a request is answered instead of outliving its client's timeout.
 */
export class CostGate {
  private inUse = 0;
  private readonly running = new Map<string, number>();
  private readonly queues = new Map<string, Waiter[]>();

  private readonly maxWaitMs: number;
  private readonly maxWaitingPerTenant: number;
  private readonly perTenant: number;

  constructor(
    readonly capacity: number,
    options: CostGateOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? Infinity;
    this.maxWaitingPerTenant = options.maxWaitingPerTenant ?? Infinity;
    const share = options.tenantShare ?? 1;
    if (!(share > 0 && share <= 1)) throw new Error('tenantShare must be in (0, 1]');
    this.perTenant = capacity * share;
  }

  enter(cost: number, tenant = ''): Promise<void> {
    const mine = this.running.get(tenant) ?? 0;
    if (!this.queues.has(tenant) && this.fits(cost, mine) && (this.queues.size === 0 || mine === 0)) {
      this.take(tenant, cost);
      return Promise.resolve();
    }
    const queue = this.queues.get(tenant) ?? [];
    if (queue.length >= this.maxWaitingPerTenant) {
      instrument('nokkel:cost-gate.refused', { reason: 'backlog' });
      return Promise.reject(this.refusal());
    }
    const since = performance.now();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        cost,
        admit: () => {
          clearTimeout(timer);
          instrument('nokkel:cost-gate.waited', { ms: performance.now() - since });
          resolve();
        },
      };
      const timer = Number.isFinite(this.maxWaitMs)
        ? setTimeout(() => {
            this.withdraw(tenant, waiter);
            instrument('nokkel:cost-gate.refused', { reason: 'timeout' });
            reject(this.refusal());
          }, this.maxWaitMs)
        : undefined;
      queue.push(waiter);
      this.queues.set(tenant, queue);
      // those waiting may be held by their share rather than by the capacity: this one may fit now
      this.dispatch();
    });
  }

  leave(cost: number, tenant = ''): void {
    this.inUse -= cost;
    const left = (this.running.get(tenant) ?? 0) - cost;
    if (left > 0) this.running.set(tenant, left);
    else this.running.delete(tenant);
    this.dispatch();
  }

  /** The cost of the operations admitted and not yet left (for tests and metrics). */
  get inUseCost(): number {
    return this.inUse;
  }

  /** Tenants waiting (for tests and metrics). */
  get waitingTenants(): number {
    return this.queues.size;
  }

  private dispatch(): void {
    for (;;) {
      const tenant = this.nextTenant();
      if (tenant === null) return;
      const queue = this.queues.get(tenant)!;
      if (!this.fits(queue[0].cost, this.running.get(tenant) ?? 0)) return;
      const next = queue.shift()!;
      if (!queue.length) this.queues.delete(tenant);
      this.take(tenant, next.cost);
      next.admit();
    }
  }

  /**
   * The waiting tenant with the least cost running whose next operation is within its share;
   * ties go to the one waiting longest (queue order).
   */
  private nextTenant(): string | null {
    let best: string | null = null;
    let least = Infinity;
    for (const [tenant, queue] of this.queues) {
      const running = this.running.get(tenant) ?? 0;
      if (running > 0 && running + queue[0].cost > this.perTenant) continue;
      if (running < least) {
        best = tenant;
        least = running;
      }
    }
    return best;
  }

  private take(tenant: string, cost: number): void {
    this.inUse += cost;
    this.running.set(tenant, (this.running.get(tenant) ?? 0) + cost);
  }

  /** Takes a waiter that gave up out of its queue; others may fit now that it is gone. */
  private withdraw(tenant: string, waiter: Waiter): void {
    const queue = this.queues.get(tenant);
    if (!queue) return;
    const at = queue.indexOf(waiter);
    if (at >= 0) queue.splice(at, 1);
    if (!queue.length) this.queues.delete(tenant);
    this.dispatch();
  }

  private refusal(): RateLimited {
    return new RateLimited(Number.isFinite(this.maxWaitMs) ? Math.max(1, Math.ceil(this.maxWaitMs / 1000)) : 1);
  }

  /** Whether an operation fits the gate, and its tenant's share (a tenant with nothing running always does). */
  private fits(cost: number, tenantRunning: number): boolean {
    if (tenantRunning > 0 && tenantRunning + cost > this.perTenant) return false;
    return this.inUse === 0 || this.inUse + cost <= this.capacity;
  }
}
