import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError, execute, printSchema, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export interface CompiledExecutorOptions {
  /** Compiled operations kept, least recently used evicted first. Default 500. */
  cacheSize?: number;
}

type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>>;

/**
 * A bounded least-recently-used map: Map keeps insertion order, so re-inserting on every hit
 * leaves the coldest entry first.
 */
class CompiledCache {
  private readonly entries = new Map<string, Compiled>();

  constructor(private readonly capacity: number) {}

  get(key: string): Compiled | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Compiled): void {
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * graphql-jit leaves `extensions` and `originalError` off the errors it builds; Apollo's masking
 * and the `code` every caller reads live there. Rebuilding them as GraphQLErrors keeps the error
 * contract the same on both executors.
 */
function rebuild(error: GraphQLError): GraphQLError {
  const original = (error.originalError ?? undefined) as (Error & { extensions?: Record<string, unknown> }) | undefined;
  const source = original instanceof GraphQLError ? original : undefined;
  return new GraphQLError(source?.message ?? error.message, {
    path: error.path,
    nodes: error.nodes,
    originalError: source?.originalError ?? original ?? undefined,
    extensions: { ...(original?.extensions ?? {}), ...(error.extensions ?? {}) },
  });
}

/**
 * Runs operations compiled by graphql-jit under Apollo Server. Apollo 5 has no executor option;
 * its `gateway` hook is the documented way to replace execution (parsing, validation, plugins and
 * the HTTP contract stay Apollo's). Compilation happens once per document and operation name.
 */
export function compiledExecutor(schema: GraphQLSchema, options: CompiledExecutorOptions = {}): GatewayInterface {
  const cache = new CompiledCache(options.cacheSize ?? 500);
  let onSchema: ((context: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) | null = null;

  const executor: GatewayExecutor = async (request) => {
    const variables = request.request.variables ?? {};
    const operation = request.operation;
    // graphql-jit reports bad variables without the node Apollo uses to answer 400 BAD_USER_INPUT:
    // such a request (rare, never the hot path) is run by graphql-js, which reports them as Apollo expects
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const key = `${request.queryHash}\u0000${request.operationName ?? ''}`;
    let compiled = cache.get(key);
    if (!compiled) {
      const result = compileQuery(schema, request.document, request.operationName ?? undefined);
      if (!isCompiledQuery(result)) {
        return execute({
          schema,
          document: request.document,
          contextValue: request.context,
          variableValues: variables,
          operationName: request.operationName,
        }) as Promise<ExecutionResult<Record<string, unknown>>>;
      }
      compiled = result as Compiled;
      cache.set(key, compiled);
    }
    const result = await compiled.query(undefined, request.context, variables);
    return result.errors ? { ...result, errors: result.errors.map(rebuild) } : result;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      onSchema = callback;
      return () => {
        onSchema = null;
      };
    },
    async load() {
      onSchema?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return { executor };
    },
    async stop() {},
  };
}
