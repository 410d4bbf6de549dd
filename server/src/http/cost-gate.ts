/**
 * Admission by cost: the operations running at once may together cost at most `capacity` points.
 * A large page of keys with their client links builds thousands of objects; letting many run at
 * once only multiplies memory (and garbage-collection time) without finishing any sooner on one
 * CPU. An operation costlier than the capacity runs alone. Waiting is first come, first served.
 */
export class CostGate {
  private inUse = 0;
  private readonly queue: { cost: number; admit: () => void }[] = [];

  constructor(readonly capacity: number) {}

  enter(cost: number): Promise<void> {
    if (this.queue.length === 0 && this.fits(cost)) {
      this.inUse += cost;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ cost, admit: resolve }));
  }

  leave(cost: number): void {
    this.inUse -= cost;
    while (this.queue.length && this.fits(this.queue[0].cost)) {
      const next = this.queue.shift()!;
      this.inUse += next.cost;
      next.admit();
    }
  }

  private fits(cost: number): boolean {
    return this.inUse === 0 || this.inUse + cost <= this.capacity;
  }
}
