import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { prepareOperation, type OperationFor, type RunOperation } from '../compiled-executor';
import type { Executor } from '../settings';

export interface PreparedDocumentsOptions {
  /** Documents kept, least recently used evicted first. Default: 500. */
  maxDocuments?: number;
  /**
   * Their source text kept in all, in UTF-16 code units; a longer document is prepared for its
   * request alone. Default: 4 Mi (4 MiB of ASCII).
   */
  maxSourceLength?: number;
  /**
   * Operations kept prepared, over all documents (a document of many operations counts each; a
   * compiled operation can hold 100 KB and more of generated code). Past it the least recently used
   * documents leave; an operation that would not fit even alone is prepared for its request only.
   * Default: 500.
   */
  maxOperations?: number;
}

/** An operation of a prepared document: what it is and how it runs. */
export interface PreparedOperation {
  readonly operation: OperationDefinitionNode;
  /** Its name in the document; null for an anonymous operation. */
  readonly name: string | null;
  readonly run: RunOperation;
}

class PreparedDocument {
  /** Its operations prepared so far, by name ('' for an anonymous one): at most its definitions. */
  private readonly operations = new Map<string, PreparedOperation>();

  constructor(
    /** The text it is kept by in the store; null for a document the store does not keep. */
    readonly source: string | null,
    readonly document: DocumentNode,
    private readonly prepare: (document: DocumentNode, operation: OperationDefinitionNode) => RunOperation,
    /** Whether the store has room to keep one more prepared operation of this document. */
    private readonly room: (entry: PreparedDocument) => boolean,
  ) {}

  /** Operations prepared and kept. */
  get size(): number {
    return this.operations.size;
  }

  /** The operation `operationName` selects (graphql-js's rule), prepared; null when it selects none. */
  select(operationName: string | null): PreparedOperation | null {
    const operation = getOperationAST(this.document, operationName);
    return operation ? this.prepared(operation) : null;
  }

  /** One of the document's operations, prepared the first time it is asked for (and compiled when it first runs). */
  prepared(operation: OperationDefinitionNode): PreparedOperation {
    const name = operation.name?.value ?? null;
    const known = this.operations.get(name ?? '');
    if (known) return known;
    const prepared = { operation, name, run: this.prepare(this.document, operation) };
    if (this.room(this)) this.operations.set(name ?? '', prepared);
    return prepared;
  }
}

/**
 * The documents that have been parsed and validated against the schema (with every validation
 * rule of the server), by their source text, each with its operations prepared for the executor
 * (compiled by graphql-jit when first run). Bounded in documents, in source text and in prepared
 * operations: a client sending new documents or operation names only evicts older ones.
 *
 * A document enters only through Apollo: its `plugin()` keeps each document that reached
 * `didResolveOperation` (parsed and valid), and Apollo's gateway executor (compiled-executor.ts)
 * prepares its operations here. Nøkkel's own pipeline (prepared-pipeline) then serves a request
 * whose source is already here without parsing or validating it again — validation depends only
 * on the document and the schema, never on a request.
 */
export class PreparedDocuments {
  private readonly entries = new Map<string, PreparedDocument>();
  private sourceLength = 0;
  private operationCount = 0;
  private readonly maxDocuments: number;
  private readonly maxSourceLength: number;
  private readonly maxOperations: number;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly executor: Executor,
    options: PreparedDocumentsOptions = {},
  ) {
    this.maxDocuments = options.maxDocuments ?? 500;
    this.maxSourceLength = options.maxSourceLength ?? 4 * 1024 * 1024;
    this.maxOperations = options.maxOperations ?? 500;
  }

  /**
   * Room for one more prepared operation of `entry`: counted if it is kept here, after older
   * documents leave to make room; none for a document not kept, or when it alone would not fit.
   */
  private readonly room = (entry: PreparedDocument): boolean => {
    if (entry.source === null || this.entries.get(entry.source) !== entry) return false;
    this.operationCount += 1;
    this.evictWhile(() => this.operationCount > this.maxOperations, entry);
    if (this.operationCount <= this.maxOperations) return true;
    this.operationCount -= 1;
    return false;
  };

  /** Drops the least recently used documents, except `keep`, while `over()` holds. */
  private evictWhile(over: () => boolean, keep?: PreparedDocument): void {
    for (const [source, entry] of this.entries) {
      if (!over()) return;
      if (entry === keep) continue;
      this.entries.delete(source);
      this.sourceLength -= source.length;
      this.operationCount -= entry.size;
    }
  }

  private readonly prepareOperation = (document: DocumentNode, operation: OperationDefinitionNode): RunOperation =>
    prepareOperation(this.schema, this.executor, document, operation, operation.name?.value ?? null);

  /** The prepared document of this source text, if it has been validated and is still kept. */
  get(source: string): PreparedDocument | undefined {
    const hit = this.entries.get(source);
    if (hit) {
      this.entries.delete(source);
      this.entries.set(source, hit);
    }
    return hit;
  }

  /** Keeps a validated document under its source text (unless it alone is over the limit); returns its entry. */
  remember(source: string, document: DocumentNode): PreparedDocument {
    const known = this.get(source);
    if (known) return known;
    const entry = new PreparedDocument(source, document, this.prepareOperation, this.room);
    if (source.length > this.maxSourceLength) return entry;
    this.entries.set(source, entry);
    this.sourceLength += source.length;
    this.evictWhile(() => this.entries.size > this.maxDocuments || this.sourceLength > this.maxSourceLength, entry);
    return entry;
  }

  /**
   * The prepared operation Apollo's executor runs (compiled-executor.ts): Apollo has validated the
   * document and chosen the operation.
   */
  readonly operationFor: OperationFor = (source, document, operation) =>
    (source === undefined
      ? new PreparedDocument(null, document, this.prepareOperation, this.room)
      : this.remember(source, document)
    ).prepared(operation).run;

  /** How many documents, how much source text and how many prepared operations are kept (tests, metrics). */
  get stats(): { documents: number; sourceLength: number; operations: number } {
    return { documents: this.entries.size, sourceLength: this.sourceLength, operations: this.operationCount };
  }

  /**
   * An Apollo plugin that keeps every document Apollo has parsed and validated: `didResolveOperation`
   * runs only after validation passed. Documents of automatic persisted queries sent by hash are
   * kept by their text too (Apollo resolved it), though the own pipeline serves only requests that
   * carry their text.
   */
  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ source, document }) => {
          this.remember(source, document);
        },
      }),
    };
  }
}
