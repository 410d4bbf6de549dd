import {
  HeaderMap,
  type ApolloServerPlugin,
  type BaseContext,
  type GraphQLRequestContext,
  type GraphQLRequestListener,
  type HTTPGraphQLRequest,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import { createHash } from 'node:crypto';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import Negotiator from 'negotiator';
import type { RunOperation } from '../compiled-executor';
import type { PreparedDocuments } from './documents';

export { PreparedDocuments, type PreparedDocumentsOptions } from './documents';

export interface PreparedPipelineOptions<TContext extends BaseContext> {
  /** The validated documents it serves (the same store Apollo's plugin and executor fill). Required. */
  documents: PreparedDocuments;
  /** The plugins, in Apollo's order: the same list Apollo Server was given. Required. */
  plugins: ApolloServerPlugin<TContext>[];
  /** Apollo Server's `logger` and `cache`, handed to the hooks as Apollo hands them. Required. */
  apollo: Pick<GraphQLRequestContext<TContext>, 'logger' | 'cache' | 'schema'>;
  /** Stack traces in the errors' extensions (Apollo's `includeStacktraceInErrorResponses`). Default: false. */
  includeStacktrace?: boolean;
}

/** Hooks Nøkkel's plugins do not use and this pipeline does not call: a plugin with one goes through Apollo. */
const UNSUPPORTED = ['responseForOperation', 'executionDidStart', 'willSendSubsequentPayload'] as const;

const JSON_TYPE = 'application/json; charset=utf-8';
const OFFERED = [
  JSON_TYPE,
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
];

type Listener<TContext extends BaseContext> = GraphQLRequestListener<TContext>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** graphql-js's errors for a variable's value, which Apollo answers as BAD_USER_INPUT (400). */
function isVariableValueError(error: GraphQLError): boolean {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION || error.extensions?.code != null) return false;
  const name = `Variable "$${node.variable.name.value}" `;
  return (
    error.message.startsWith(`${name}has invalid value`) ||
    error.message.startsWith(`${name}got invalid value `) ||
    error.message.startsWith(`${name}of required type `) ||
    error.message.startsWith(`${name}of non-null type `)
  );
}

function asGraphQLError(error: unknown, prefix = ''): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof Error) return new GraphQLError(prefix + error.message, { originalError: error });
  return new GraphQLError(`Unexpected error value: ${String(error)}`);
}

interface Head {
  status?: number;
  headers: HeaderMap;
}

/** The request context this pipeline builds and hands to the hooks (Apollo's shape, its parts writable). */
type PipelineContext<TContext extends BaseContext> = GraphQLRequestContext<TContext> & {
  errors?: GraphQLError[];
  response: { http: Head };
};

/**
 * Nøkkel's own request pipeline for the documents Apollo Server has already parsed and validated
 * (by far most requests: partners send the same operations all day). It does what Apollo's pipeline
 * does on a document-cache hit — the plugins' hooks in Apollo's order, execution, Apollo's error
 * formatting and status codes, the same JSON — without what only a first sight of a document needs
 * (the SHA-256 of the text, the store lookup, content negotiation per request, the promise chains
 * of hooks nobody registered). Everything else goes to Apollo: `handle` answers null for a request
 * it does not serve (not a JSON POST, a document not yet validated, an operation name that selects
 * nothing, persisted queries, an `Accept` it has not seen Apollo's answer for, a stopped server).
 */
export class PreparedPipeline<TContext extends BaseContext> {
  private readonly documents: PreparedDocuments;
  private readonly plugins: ApolloServerPlugin<TContext>[];
  private readonly apollo: PreparedPipelineOptions<TContext>['apollo'];
  private readonly includeStacktrace: boolean;
  /** The content type chosen for each `Accept` value seen (bounded), as Apollo chooses it. */
  private readonly contentTypes = new Map<string, string | null>();
  private stopped = false;
  /** Requests answered here (tests read it to know which pipeline answered). */
  served = 0;

  constructor(options: PreparedPipelineOptions<TContext>) {
    this.documents = options.documents;
    this.plugins = options.plugins;
    this.apollo = options.apollo;
    this.includeStacktrace = options.includeStacktrace ?? false;
  }

  /** Call when Apollo stops: from then on every request goes to Apollo, which refuses it. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Answers a request whose document is prepared, or null (Apollo answers it). `context` is called
   * at most once, and only when the answer is this pipeline's.
   */
  async handle(http: HTTPGraphQLRequest, context: () => Promise<TContext>): Promise<HTTPGraphQLResponse | null> {
    if (this.stopped || http.method !== 'POST' || !isRecord(http.body)) return null;
    const { query, operationName, variables, extensions } = http.body;
    if (typeof query !== 'string' || extensions !== undefined) return null;
    if (operationName != null && typeof operationName !== 'string') return null;
    if (variables != null && !isRecord(variables)) return null;
    // Apollo's CSRF prevention passes any JSON body: only `application/json` is taken here
    const type = http.headers.get('content-type');
    if (!type || type.split(';', 1)[0].trim().toLowerCase() !== 'application/json') return null;
    const contentType = this.contentType(http.headers.get('accept'));
    if (!contentType) return null;
    const entry = this.documents.get(query);
    const prepared = entry?.select(operationName ?? null);
    if (!entry || !prepared) return null;
    this.served += 1;

    let contextValue: TContext;
    try {
      contextValue = await context();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      try {
        await Promise.all(this.plugins.map((plugin) => plugin.contextCreationDidFail?.({ error: failure })));
      } catch (hookError) {
        // as Apollo: a hook that fails is logged, and the caller still gets the context's refusal
        this.apollo.logger.error(`contextCreationDidFail hook threw: ${hookError}`);
      }
      return this.errorResponse(asGraphQLError(error, 'Context creation failed: '), contentType);
    }
    const request = { query, operationName: operationName ?? undefined, variables: variables ?? undefined, http };
    const response = { http: { status: undefined as number | undefined, headers: new HeaderMap() }, body: undefined };
    const requestContext = {
      logger: this.apollo.logger,
      cache: this.apollo.cache,
      schema: this.apollo.schema,
      request,
      response,
      contextValue,
      metrics: { persistedQueryHit: false, persistedQueryRegister: false },
      requestIsBatched: false,
      source: query,
      document: entry.document,
      operation: prepared.operation,
      operationName: prepared.name,
      errors: undefined as GraphQLError[] | undefined,
      // computed only if a hook reads it
      get queryHash(): string {
        return createHash('sha256').update(query).digest('hex');
      },
      get overallCachePolicy(): never {
        throw new Error('cache control is off: requests have no cache policy');
      },
    } as unknown as PipelineContext<TContext>;
    try {
      return await this.run(requestContext, prepared.run, contentType);
    } catch (error) {
      // as Apollo does with an error no hook turned into an answer
      const failure = error instanceof Error ? error : new Error(String(error));
      await Promise.all(
        this.plugins.map((plugin) => plugin.unexpectedErrorProcessingRequest?.({ requestContext, error: failure })),
      );
      this.apollo.logger.error(`Unexpected error processing request: ${failure}`);
      return this.errorResponse(new GraphQLError('Internal server error'), contentType);
    }
  }

  private async run(
    requestContext: PipelineContext<TContext>,
    runOperation: RunOperation,
    contentType: string,
  ): Promise<HTTPGraphQLResponse> {
    const started = await Promise.all(this.plugins.map((plugin) => plugin.requestDidStart?.(requestContext)));
    const listeners = started.filter((listener): listener is Listener<TContext> => !!listener);
    for (const listener of listeners)
      for (const hook of UNSUPPORTED)
        if (listener[hook]) throw new Error(`the prepared pipeline does not call ${hook}: turn PREPARED_PIPELINE off`);
    const context = requestContext as never;
    const http = requestContext.response.http;
    /** Apollo's steps for errors: the hooks hear of them, they are formatted, their `http` goes into the head. */
    const report = async (errors: GraphQLError[]): Promise<{ formatted: GraphQLFormattedError[]; status?: number }> => {
      requestContext.errors = errors;
      await Promise.all(listeners.map((listener) => listener.didEncounterErrors?.(context)));
      const { formatted, head } = this.formatErrors(errors);
      if (head.status) http.status = head.status;
      for (const [name, value] of head.headers) http.headers.set(name, value);
      return { formatted, status: head.status };
    };
    /** A request refused before or during execution: errors only, 500 unless they say otherwise. */
    const refuse = async (error: unknown) => {
      const { formatted } = await report([asGraphQLError(error)]);
      http.status ??= 500;
      return this.send(requestContext, listeners, { errors: formatted }, contentType);
    };
    await Promise.all(listeners.map((listener) => listener.didResolveSource?.(context)));
    try {
      await Promise.all(listeners.map((listener) => listener.didResolveOperation?.(context)));
    } catch (error) {
      return refuse(error);
    }
    let result;
    try {
      result = await runOperation(requestContext.contextValue, requestContext.request.variables ?? {});
    } catch (error) {
      return refuse(error);
    }
    const errors = result.errors?.map((error) =>
      isVariableValueError(error)
        ? new GraphQLError(error.message, {
            nodes: error.nodes,
            originalError: error.originalError ?? error,
            extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
          })
        : error,
    );
    let formatted: GraphQLFormattedError[] | undefined;
    if (errors) {
      const reported = await report(errors);
      formatted = reported.formatted;
      // Apollo 5 answers 400 to a request that failed before execution began (its variables)
      if (errors.length && result.data === undefined && !reported.status) http.status = 400;
    }
    return this.send(requestContext, listeners, { ...result, errors: formatted }, contentType);
  }

  private async send(
    requestContext: PipelineContext<TContext>,
    listeners: Listener<TContext>[],
    result: { errors?: GraphQLFormattedError[]; data?: unknown; extensions?: unknown },
    contentType: string,
  ): Promise<HTTPGraphQLResponse> {
    (requestContext.response as { body?: unknown }).body = { kind: 'single', singleResult: result };
    await Promise.all(listeners.map((listener) => listener.willSendResponse?.(requestContext as never)));
    const { http } = requestContext.response;
    if (!http.headers.get('content-type')) http.headers.set('content-type', contentType);
    const single = (requestContext.response.body as { singleResult: typeof result }).singleResult;
    // Apollo's field order and its trailing newline
    const string = `${JSON.stringify({ errors: single.errors, data: single.data, extensions: single.extensions })}\n`;
    return { status: http.status, headers: http.headers, body: { kind: 'complete', string } };
  }

  /** Apollo's formatting of errors: a code on each (INTERNAL_SERVER_ERROR by default), `http` taken out into the answer's head. */
  private formatErrors(errors: readonly GraphQLError[]): { formatted: GraphQLFormattedError[]; head: Head } {
    const head: Head = { headers: new HeaderMap() };
    const formatted = errors.map((error) => {
      const extensions: Record<string, unknown> = {
        ...error.extensions,
        code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
      };
      const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
      if (
        http &&
        typeof http === 'object' &&
        (!('status' in http) || typeof http.status === 'number') &&
        (!('headers' in http) || http.headers instanceof Map)
      ) {
        if (typeof http.status === 'number' && http.status) head.status = http.status;
        if (http.headers instanceof Map) for (const [name, value] of http.headers) head.headers.set(name, value);
        delete extensions.http;
      }
      if (this.includeStacktrace) extensions.stacktrace = error.stack?.split('\n');
      return { ...error.toJSON(), extensions };
    });
    return { formatted, head };
  }

  /** An answer with errors only, as Apollo gives when it cannot run the request at all. */
  private errorResponse(error: GraphQLError, contentType: string): HTTPGraphQLResponse {
    const { formatted, head } = this.formatErrors([error]);
    head.headers.set('content-type', contentType);
    return {
      status: head.status ?? 500,
      headers: head.headers,
      body: { kind: 'complete', string: `${JSON.stringify({ errors: formatted })}\n` },
    };
  }

  /** The content type Apollo answers a single result with for this `Accept`; null when none fits (Apollo answers 406). */
  private contentType(accept: string | undefined): string | null {
    if (!accept) return JSON_TYPE;
    const known = this.contentTypes.get(accept);
    if (known !== undefined) return known;
    const chosen = new Negotiator({ headers: { accept } }).mediaType(OFFERED) ?? null;
    if (this.contentTypes.size < 100) this.contentTypes.set(accept, chosen);
    return chosen;
  }
}
