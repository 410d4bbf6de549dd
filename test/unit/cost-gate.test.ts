import { CostGate, DEFAULT_COST_GATE_OPTIONS } from '../../server/src/http/cost/gate';

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

describe('CostGate fairness between companies (issue 19, finding 10)', () => {
  /** A fake workload: each admitted operation runs until the test finishes it. */
  function workload(gate: CostGate) {
    const admitted: string[] = [];
    const submit = (tenant: string, name: string, cost: number) =>
      gate.enter(cost, tenant).then(() => admitted.push(name));
    return { admitted, submit };
  }

  test('a cheap request of company B is admitted before company A’s backlog', async () => {
    const gate = new CostGate(100);
    const { admitted, submit } = workload(gate);
    // A fills the gate and queues 20 more heavy queries
    for (let i = 0; i < 22; i++) void submit('A', `A${i}`, 50);
    await settled();
    expect(admitted).toEqual(['A0', 'A1']);
    // B arrives with nothing running: it waits behind none of A's 20
    void submit('B', 'B-cheap', 1);
    await settled();
    gate.leave(50, 'A');
    await settled();
    // the first room goes to B (nothing running), not to A's next heavy query
    expect(admitted).toEqual(['A0', 'A1', 'B-cheap']);
    gate.leave(1, 'B');
    await settled();
    expect(admitted).toEqual(['A0', 'A1', 'B-cheap', 'A2']);
  });

  test('with room, a company with nothing running is admitted at once, even while another’s queue waits', async () => {
    const gate = new CostGate(100);
    const { admitted, submit } = workload(gate);
    void submit('A', 'A0', 90);
    void submit('A', 'A1', 90); // waits: does not fit
    await settled();
    void submit('B', 'B0', 5);
    await settled();
    expect(admitted).toEqual(['A0', 'B0']);
  });

  test('when room frees, the waiting company with the least running goes first; each company stays in order', async () => {
    const gate = new CostGate(10);
    const { admitted, submit } = workload(gate);
    void submit('A', 'A0', 10);
    for (const name of ['A1', 'A2']) void submit('A', name, 5);
    for (const name of ['B1', 'B2']) void submit('B', name, 5);
    await settled();
    expect(admitted).toEqual(['A0']);
    gate.leave(10, 'A');
    await settled();
    // A has nothing running now, like B; A waited first, then B takes the other half
    expect(admitted).toEqual(['A0', 'A1', 'B1']);
    gate.leave(5, 'A');
    await settled();
    // A runs 0 and B runs 5: A goes next
    expect(admitted).toEqual(['A0', 'A1', 'B1', 'A2']);
    gate.leave(5, 'B');
    gate.leave(5, 'A');
    await settled();
    expect(admitted).toEqual(['A0', 'A1', 'B1', 'A2', 'B2']);
    expect(gate.waitingTenants).toBe(0);
  });

  test('a heavy operation waiting for an empty gate is not starved by a stream of cheap ones from the same company', async () => {
    const gate = new CostGate(10);
    const { admitted, submit } = workload(gate);
    void submit('B', 'B0', 5);
    void submit('A', 'A-heavy', 50);
    await settled();
    void submit('B', 'B1', 1); // B has something running and A waits: B queues
    await settled();
    expect(admitted).toEqual(['B0']);
    gate.leave(5, 'B');
    await settled();
    expect(admitted).toEqual(['B0', 'A-heavy']);
  });
});

describe('CostGate waits are bounded (issue 19: a backlog must not outlive its clients)', () => {
  test('an operation that waits past maxWaitMs is refused with RATE_LIMITED and leaves the queue', async () => {
    jest.useFakeTimers();
    try {
      const gate = new CostGate(10, { maxWaitMs: 5_000 });
      await gate.enter(10, 'A');
      const waiting = gate.enter(5, 'A');
      const outcome = waiting.then(
        () => 'admitted',
        (error: { code?: string }) => error.code,
      );
      jest.advanceTimersByTime(5_000);
      expect(await outcome).toBe('RATE_LIMITED');
      expect(gate.waitingTenants).toBe(0);
      // the refused one never runs: when room frees, the next one is admitted at once
      gate.leave(10, 'A');
      await expect(gate.enter(10, 'A')).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  test('a tenant’s backlog past maxWaitingPerTenant is refused at once; another tenant still queues', async () => {
    const gate = new CostGate(10, { maxWaitingPerTenant: 2 });
    await gate.enter(10, 'A');
    const admitted: string[] = [];
    const waiting = [
      gate.enter(10, 'A').then(() => admitted.push('A')),
      gate.enter(10, 'A').then(() => admitted.push('A')),
    ];
    await expect(gate.enter(10, 'A')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    waiting.push(gate.enter(10, 'B').then(() => admitted.push('B')));
    // each one admitted runs alone (cost 10 of 10) and then leaves, letting the next in
    let running = 'A';
    for (let i = 0; i < 3; i++) {
      gate.leave(10, running);
      await settled();
      running = admitted[admitted.length - 1];
    }
    await Promise.all(waiting);
    expect(admitted.sort()).toEqual(['A', 'A', 'B']);
  });
});

describe('CostGate share per company (issue 19: one company’s heavy work runs a few at a time)', () => {
  test('a company holds at most its share of the capacity; another company is admitted beside it', async () => {
    const gate = new CostGate(100, { tenantShare: 0.25 });
    const admitted: string[] = [];
    const submit = (tenant: string, name: string, cost: number) =>
      gate.enter(cost, tenant).then(() => admitted.push(name));
    for (let i = 0; i < 6; i++) void submit('A', `A${i}`, 10);
    await settled();
    // 25 of 100: A runs two of its 10-point operations, not all six, though the gate has room
    expect(admitted).toEqual(['A0', 'A1']);
    void submit('B', 'B0', 10);
    void submit('B', 'B1', 10);
    await settled();
    expect(admitted).toEqual(['A0', 'A1', 'B0', 'B1']);
    gate.leave(10, 'A');
    await settled();
    expect(admitted).toEqual(['A0', 'A1', 'B0', 'B1', 'A2']);
  });

  test('an operation above the share runs when its company has nothing running', async () => {
    const gate = new CostGate(100, { tenantShare: 0.25 });
    await gate.enter(60, 'A');
    let second = false;
    const waiting = gate.enter(60, 'A').then(() => (second = true));
    // another company's cheap one is not held up by A's waiting heavy one
    await expect(gate.enter(1, 'B')).resolves.toBeUndefined();
    await settled();
    expect(second).toBe(false);
    gate.leave(60, 'A');
    await waiting;
    expect(second).toBe(true);
  });

  test('the production defaults bound waits and shares', () => {
    expect(DEFAULT_COST_GATE_OPTIONS.maxWaitMs).toBeLessThanOrEqual(5_000);
    expect(DEFAULT_COST_GATE_OPTIONS.tenantShare).toBeLessThan(1);
  });
});
