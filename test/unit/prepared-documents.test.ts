import { buildSchema, parse } from 'graphql';
import { compileQuery } from 'graphql-jit';
import { PreparedDocuments } from '../../server/src/http/prepared-pipeline';

// graphql-jit as it is, with its compileQuery counted
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual('graphql-jit');
  return { ...actual, compileQuery: jest.fn(actual.compileQuery) };
});

const schema = buildSchema('type Query { a: Int, b(n: Int!): Int }');
const doc = (source: string) => parse(source);

describe('the store of validated documents', () => {
  test('keeps at most its number of documents, the least recently used leaving first', () => {
    const store = new PreparedDocuments(schema, 'jit', { maxDocuments: 2 });
    store.remember('{ a }', doc('{ a }'));
    store.remember('{ b: a }', doc('{ b: a }'));
    store.get('{ a }'); // used: now the most recent
    store.remember('{ c: a }', doc('{ c: a }'));
    expect(store.get('{ b: a }')).toBeUndefined();
    expect(store.get('{ a }')).toBeDefined();
    expect(store.stats).toEqual({ documents: 2, sourceLength: '{ a }'.length + '{ c: a }'.length, operations: 0 });
  });

  test('keeps at most its length of source text; a document longer than that is not kept at all', () => {
    const store = new PreparedDocuments(schema, 'jit', { maxSourceLength: 40 });
    const long = `{ ${'a '.repeat(20)}}`;
    store.remember(long, doc(long));
    expect(store.stats.documents).toBe(0);
    const sources = Array.from({ length: 8 }, (_, i) => `{ x${i}: a }`);
    for (const source of sources) store.remember(source, doc(source));
    expect(store.stats.sourceLength).toBeLessThanOrEqual(40);
    expect(store.get(sources[7])).toBeDefined();
    expect(store.get(sources[0])).toBeUndefined();
  });

  test('an operation name that selects nothing is answered null and kept nowhere', () => {
    const store = new PreparedDocuments(schema, 'jit');
    const source = 'query A { a } query B { a }';
    const entry = store.remember(source, doc(source));
    expect(entry.select('A')?.name).toBe('A');
    expect(entry.select(null)).toBeNull(); // two operations: a name is needed
    for (let i = 0; i < 1_000; i++) expect(entry.select(`Z${i}`)).toBeNull();
    expect(entry.select('A')).toBe(entry.select('A')); // prepared once
  });

  test('keeps at most its number of prepared operations over all documents, however many one document has', () => {
    const store = new PreparedDocuments(schema, 'jit', { maxOperations: 4 });
    const many = Array.from({ length: 10 }, (_, i) => `query o${i} { a }`).join(' ');
    const entry = store.remember(many, doc(many));
    for (let i = 0; i < 10; i++) expect(entry.select(`o${i}`)?.name).toBe(`o${i}`);
    expect(store.stats.operations).toBe(4);
    // another document's operations push the least recently used documents out, never past the bound
    const other = '{ a }';
    store.remember(other, doc(other)).select(null);
    expect(store.stats.operations).toBeLessThanOrEqual(4);
    expect(store.get(many)).toBeUndefined();
    expect(store.get(other)).toBeDefined();
  });

  test('an operation is compiled when it first runs, not when it is selected', async () => {
    const compile = jest.mocked(compileQuery);
    compile.mockClear();
    const source = 'query A { a } query B { a }';
    const entry = new PreparedDocuments(schema, 'jit').remember(source, doc(source));
    const a = entry.select('A')!;
    entry.select('B');
    expect(compile).not.toHaveBeenCalled();
    expect(await a.run({}, {})).toEqual({ data: { a: null } });
    await a.run({}, {});
    expect(compile).toHaveBeenCalledTimes(1);
  });

  test('prepared operations run on either executor, variables checked before the compiled code', async () => {
    for (const executor of ['jit', 'graphql-js'] as const) {
      const source = 'query ($n: Int!) { b(n: $n) }';
      const run = new PreparedDocuments(schema, executor).remember(source, doc(source)).select(null)!.run;
      const bad = await run({}, { n: 'x' });
      expect(bad.errors?.[0].message).toMatch(/Variable "\$n" got invalid value/);
      expect(bad.errors?.[0].nodes?.[0].kind).toBe('VariableDefinition');
      expect(await run({}, { n: 1 })).toEqual({ data: { b: null } });
    }
  });
});
