import { categoryOf, summariseProfile, type CpuProfile } from '../../bench/profile-summary';

const frame = (functionName: string, url = '') => ({ functionName, url });

describe('the CPU profile summary of PERFORMANCE.md', () => {
  test('frames fall into the categories the servers are compared by', () => {
    expect(categoryOf(frame('writeBuffer'))).toBe('socket writes (system calls)');
    expect(categoryOf(frame('(garbage collector)'))).toBe('garbage collection');
    expect(categoryOf(frame('decode', 'file:///x/node_modules/mysql2/lib/parsers/string.js'))).toBe('mysql2');
    expect(categoryOf(frame('CustomerConnection__fieldedgesMapItemHandler'))).toBe(
      'GraphQL (Apollo, graphql-js/jit, type-graphql)',
    );
    expect(categoryOf(frame('execute', 'file:///x/node_modules/@apollo/server/dist/cjs/requestPipeline.js'))).toBe(
      'GraphQL (Apollo, graphql-js/jit, type-graphql)',
    );
    expect(categoryOf(frame('authenticateKey', 'file:///x/dist/server/src/context/authenticate.js'))).toBe(
      "Nøkkel's own code",
    );
    expect(categoryOf(frame('handle', 'file:///x/dist/bench/baseline/raw-server.js'))).toBe('the bench (raw handler)');
    expect(categoryOf(frame('emit', 'node:events'))).toBe('Node core (http, streams, crypto, async hooks)');
    expect(categoryOf(frame('get', 'file:///x/node_modules/pino/lib/proto.js'))).toBe('package pino');
    expect(categoryOf(frame('(program)'))).toBe('V8 and runtime (microtasks, parsing, program)');
    expect(categoryOf(frame('(idle)'))).toBeNull();
  });

  test('self time is summed per category from the samples, idle left out, largest first', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)') },
        { id: 2, callFrame: frame('writev') },
        { id: 3, callFrame: frame('writeBuffer') },
        { id: 4, callFrame: frame('authenticateKey', 'file:///x/dist/server/src/context/authenticate.js') },
      ],
      samples: [1, 2, 3, 4, 3, 1],
      timeDeltas: [5000, 1000, 2000, 1000, 2000, 9000],
    };
    expect(summariseProfile(profile)).toEqual([
      { category: 'socket writes (system calls)', ms: 5, share: 5 / 6 },
      { category: "Nøkkel's own code", ms: 1, share: 1 / 6 },
    ]);
  });
});
