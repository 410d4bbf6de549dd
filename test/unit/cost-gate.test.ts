import { CostGate } from '../../server/src/http/cost-gate';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('CostGate', () => {
  test('operations run together while their costs fit; the next waits for room', async () => {
    const gate = new CostGate(10);
    const order: string[] = [];
    await gate.enter(6);
    order.push('a');
    const b = gate.enter(6).then(() => order.push('b'));
    const c = gate.enter(3).then(() => order.push('c'));
    await settled();
    // c would fit, but b came first: first come, first served
    expect(order).toEqual(['a']);
    gate.leave(6);
    await Promise.all([b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  test('an operation costlier than the capacity runs alone', async () => {
    const gate = new CostGate(10);
    await gate.enter(50);
    let small = false;
    const waiting = gate.enter(1).then(() => (small = true));
    await settled();
    expect(small).toBe(false);
    gate.leave(50);
    await waiting;
    expect(small).toBe(true);
  });
});
