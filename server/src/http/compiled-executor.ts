import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  execute,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Executor } from './settings';

type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>>;
type Result = ExecutionResult<Record<string, unknown>>;

/** Runs one operation of a validated document with a request's context and variables. */
export type RunOperation = (context: object, variables: Record<string, unknown>) => Promise<Result>;

/** The prepared operation of a validated document (prepared-pipeline/documents.ts keeps them). */
export type OperationFor = (
  source: string | undefined,
  document: DocumentNode,
  operation: OperationDefinitionNode,
) => RunOperation;

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
 * Prepares one operation of a document that has been parsed and validated, for the executor
 * chosen (GRAPHQL_EXECUTOR): compiled once by graphql-jit, or run by graphql-js each time. Both
 * Apollo's path (compiledExecutor) and Nøkkel's own pipeline for prepared documents
 * (prepared-pipeline) run operations through this, so they execute alike.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  executor: Executor,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  operationName: string | null,
): RunOperation {
  const byGraphqlJs: RunOperation = (context, variables) =>
    Promise.resolve(
      execute({ schema, document, contextValue: context, variableValues: variables, operationName }) as
        Result | Promise<Result>,
    );
  if (executor === 'graphql-js') return byGraphqlJs;
  // compiled when it first runs, not when it is prepared: an operation refused before execution
  // (its cost, its caller) never costs a compilation or the memory of its compiled code
  let compiled: RunOperation | undefined;
  return (context, variables) =>
    (compiled ??= compile(schema, document, operation, operationName) ?? byGraphqlJs)(context, variables);
}

/** The operation compiled by graphql-jit; undefined when graphql-jit cannot compile it. */
function compile(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  operationName: string | null,
): RunOperation | undefined {
  const result = compileQuery(schema, document, operationName ?? undefined);
  if (!isCompiledQuery(result)) return undefined;
  const query = result as Compiled;
  const definitions = operation.variableDefinitions ?? [];
  return async (context, variables) => {
    // graphql-jit reports bad variables without the node Apollo uses to answer 400
    // BAD_USER_INPUT: they are checked as graphql-js checks them, before the compiled code runs
    if (definitions.length) {
      const coerced = getVariableValues(schema, definitions, variables, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
    }
    const output = await query.query(undefined, context, variables);
    return output.errors ? { ...output, errors: output.errors.map(rebuild) } : output;
  };
}

/**
 * Runs operations compiled by graphql-jit under Apollo Server. Apollo 5 has no executor option;
 * its `gateway` hook is the documented way to replace execution (parsing, validation, plugins and
 * the HTTP contract stay Apollo's). Compilation happens once per document and operation, in the
 * bounded store of prepared documents `operationFor` reads (shared with Nøkkel's own pipeline).
 */
export function compiledExecutor(schema: GraphQLSchema, operationFor: OperationFor): GatewayInterface {
  let onSchema: ((context: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) | null = null;

  const executor: GatewayExecutor = async (request) =>
    operationFor(request.source, request.document, request.operation)(request.context, request.request.variables ?? {});

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
