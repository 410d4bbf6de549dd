import type { DocumentTypeDecoration, TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';

export type {
  DocumentTypeDecoration,
  ResultOf,
  TypedDocumentNode,
  VariablesOf,
} from '@graphql-typed-document-node/core';

/**
 * A typed GraphQL document the client can run: a TypedDocumentNode (what graphql-codegen's
 * client-preset and `typedDocument()` make, and what the SDK exports as `…Document`), or a typed
 * string document (the client-preset with `documentMode: 'string'`).
 */
export type TypedDocument<R, V> = TypedDocumentNode<R, V> | (DocumentTypeDecoration<R, V> & { toString(): string });

/**
 * Parses GraphQL source into a TypedDocumentNode typed with the result and variables you name,
 * for a one-off document without running codegen. The types are yours to keep right: prefer
 * the client-preset (see the README), which derives them from the schema.
 *
 * @example
 * const MyClients = typedDocument<{ clients: { edges: Array<{ node: { company: { name: string } } }> } }, { first?: number }>(
 *   'query myClients($first: Int) { clients(first: $first) { edges { node { company { name } } } } }',
 * );
 */
export function typedDocument<R, V = Record<string, never>>(source: string): TypedDocumentNode<R, V> {
  return parse(source) as TypedDocumentNode<R, V>;
}

/** A document as the client sends it: parsed once, printed once. */
export interface PreparedDocument {
  readonly node: DocumentNode;
  readonly source: string;
  readonly operation: OperationDefinitionNode | undefined;
  readonly operationName: string | undefined;
}

const preparedNodes = new WeakMap<DocumentNode, PreparedDocument>();
const preparedStrings = new Map<string, PreparedDocument>();
const MAX_CACHED_STRINGS = 500;

function prepareNode(node: DocumentNode, source?: string): PreparedDocument {
  const operation = node.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return { node, source: source ?? print(node), operation, operationName: operation?.name?.value };
}

/** Parses (string documents) or prints (document nodes) a document once, and finds its operation. */
export function prepare(document: DocumentNode | { toString(): string }): PreparedDocument {
  if (typeof document === 'object' && document !== null && (document as DocumentNode).kind === Kind.DOCUMENT) {
    const node = document as DocumentNode;
    let prepared = preparedNodes.get(node);
    if (!prepared) {
      prepared = prepareNode(node);
      preparedNodes.set(node, prepared);
    }
    return prepared;
  }
  const source = document.toString();
  let prepared = preparedStrings.get(source);
  if (!prepared) {
    prepared = prepareNode(parse(source), source);
    // string documents are usually module constants; the bound only stops a caller that builds
    // strings on the fly from growing the cache without end
    if (preparedStrings.size >= MAX_CACHED_STRINGS) preparedStrings.clear();
    preparedStrings.set(source, prepared);
  }
  return prepared;
}
