import type { NoAnswer } from './http';

/** What one attack family sent and what came back. */
export class Tally {
  sent = 0;
  answeredCount = 0;
  unanswered = 0;
  /** Requests the attack itself cut off on purpose (aborted bodies): neither answered nor unanswered. */
  abandoned = 0;
  readonly statuses = new Map<string, number>();

  answered(key: string): void {
    this.answeredCount++;
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }

  noAnswer(why: NoAnswer): void {
    this.unanswered++;
    this.statuses.set(`no answer: ${why}`, (this.statuses.get(`no answer: ${why}`) ?? 0) + 1);
  }

  abandon(): void {
    this.abandoned++;
  }

  histogram(): string {
    return [...this.statuses.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `${key} ×${n}`)
      .join(', ');
  }
}

/** While a step may start new requests: until its server dies or its time budget is spent. */
export interface Window {
  signal: AbortSignal;
  /** Date.now() after which no new request is started. */
  deadline: number;
}

export const open = (window: Window): boolean => !window.signal.aborted && Date.now() < window.deadline;

/**
 * Runs `send(i)` for i = 0…n-1 with at most `concurrency` at once; stops starting new ones when
 * the window closes (the server died, or the step's time budget is spent). Waits for those in
 * flight (each has its own timeout). Returns how many were started.
 */
export async function inParallel(
  n: number,
  concurrency: number,
  window: Window,
  send: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n && open(window)) await send(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, worker));
  return next;
}

/** The p-th percentile (0–100) of some samples, nearest rank; NaN without samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
