/** Samples this process's memory while a measurement runs; keeps the peaks. */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  peak = 0;
  peakHeapTotal = 0;

  private sample(): void {
    const { rss, heapTotal } = process.memoryUsage();
    this.peak = Math.max(this.peak, rss);
    this.peakHeapTotal = Math.max(this.peakHeapTotal, heapTotal);
  }

  start(intervalMs = 100): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Stops and returns the peak RSS in MB since start(). */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.peak / (1024 * 1024);
  }

  /** The peak size of the V8 heap (MB) since start(). */
  get heapMb(): number {
    return this.peakHeapTotal / (1024 * 1024);
  }

  reset(): void {
    this.peak = 0;
    this.peakHeapTotal = 0;
  }
}

export function rssMb(): number {
  return process.memoryUsage.rss() / (1024 * 1024);
}
