import { PoolShare } from '../../server/src/db/pool-share';
import { inScopeWith } from '../../server/src/db/work-scope';

const settled = () => new Promise((resolve) => setImmediate(resolve));

/** A fake pool of `size` connections with mysql2's getConnection/release shape, as TypeORM's driver uses it. */
function fakeDriver(size: number) {
  let free = size;
  const queue: (() => void)[] = [];
  const driver = {
    inUse: () => size - free,
    obtainMasterConnection(): Promise<{ release(): void }> {
      const connection = {
        release() {
          free++;
          queue.shift()?.();
        },
      };
      if (free > 0) {
        free--;
        return Promise.resolve(connection);
      }
      return new Promise((resolve) =>
        queue.push(() => {
          free--;
          resolve(connection);
        }),
      );
    },
  };
  return driver;
}

describe('PoolShare: one company holds at most its share of the database pool (issue 19)', () => {
  test('past its share a company waits for one of its own statements; another company is served at once', async () => {
    const driver = fakeDriver(4);
    const share = new PoolShare(2);
    share.install(driver);
    const inA = <T>(fn: () => Promise<T>) => inScopeWith({ tenant: 'A' }, fn);
    const a = await Promise.all([
      inA(() => driver.obtainMasterConnection()),
      inA(() => driver.obtainMasterConnection()),
    ]);
    let third = false;
    const waiting = inA(() => driver.obtainMasterConnection()).then((c) => ((third = true), c));
    await settled();
    expect(third).toBe(false);
    expect(share.holding('A')).toBe(2);
    // B gets one of the two connections A may not take
    const b = await inScopeWith({ tenant: 'B' }, () => driver.obtainMasterConnection());
    expect(driver.inUse()).toBe(3);
    a[0].release();
    const c = await waiting;
    expect(third).toBe(true);
    expect(share.holding('A')).toBe(2);
    for (const connection of [a[1], c, b]) connection.release();
    expect(share.holding('A')).toBe(0);
    expect(driver.inUse()).toBe(0);
  });

  test('a heavy operation’s statements run one at a time; the same company’s cheap ones keep its share', async () => {
    const driver = fakeDriver(8);
    const share = new PoolShare(3);
    share.install(driver);
    const heavy = <T>(fn: () => Promise<T>) => inScopeWith({ tenant: 'A', heavy: true }, fn);
    const first = await heavy(() => driver.obtainMasterConnection());
    let second = false;
    const waiting = heavy(() => driver.obtainMasterConnection()).then((c) => ((second = true), c));
    await settled();
    expect(second).toBe(false);
    // a cheap request of the same company is not held behind the heavy one
    const cheap = await Promise.all(
      [1, 2, 3].map(() => inScopeWith({ tenant: 'A' }, () => driver.obtainMasterConnection())),
    );
    expect(share.holding('A')).toBe(3);
    first.release();
    const next = await waiting;
    expect(second).toBe(true);
    for (const connection of [next, ...cheap]) connection.release();
    expect(driver.inUse()).toBe(0);
  });

  test('a transaction’s statements and requests without a tenant are never held back', async () => {
    const driver = fakeDriver(4);
    const share = new PoolShare(1);
    share.install(driver);
    const held = await inScopeWith({ tenant: 'A' }, () => driver.obtainMasterConnection());
    const inTx = await inScopeWith({ tenant: 'A' }, () =>
      inScopeWith({ inTransaction: true }, () => driver.obtainMasterConnection()),
    );
    const anonymous = await driver.obtainMasterConnection();
    expect(driver.inUse()).toBe(3);
    for (const connection of [held, inTx, anonymous]) connection.release();
    expect(share.holding('A')).toBe(0);
  });

  test('a wait past maxWaitMs goes ahead: the share delays, it never blocks for good', async () => {
    jest.useFakeTimers();
    try {
      const share = new PoolShare(1, 2_000);
      await share.acquire('A');
      let admitted = false;
      const waiting = share.acquire('A').then(() => (admitted = true));
      jest.advanceTimersByTime(1_999);
      await Promise.resolve();
      expect(admitted).toBe(false);
      jest.advanceTimersByTime(1);
      await waiting;
      expect(share.holding('A')).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
