/**
 * @nokkel/client-sdk: a typed client for the Nøkkel GraphQL API.
 *
 * - `createClient({ url, token, companyId, retry })`: one typed method per operation, `request()`
 *   for any typed document (e.g. one with exactly the fields you need), `paginate()` over any
 *   connection;
 * - `NokkelError` and `ErrorCode`: what every method throws on a GraphQL error;
 * - `TypedDocumentNode`, `ResultOf`, `VariablesOf`, `typedDocument()` for your own documents;
 * - the generated TypedDocumentNodes (`CreateUserKeyDocument`, …), fragment types
 *   (`UserKeyFieldsFragment`, …), input types and enums (`Permission`, …) for teams that bring
 *   their own GraphQL client. The package also ships `schema.graphql` and `operations/*.graphql`
 *   for your own codegen.
 */
export { createClient } from './client';
export type {
  AbortSignalLike,
  CallOptions,
  ClientOptions,
  FetchLike,
  FetchResponseLike,
  NokkelClient,
  NokkelOperations,
  PaginateArgs,
  PaginateCallOptions,
  RequestArgs,
} from './client';
export { typedDocument } from './document';
export type { DocumentTypeDecoration, ResultOf, TypedDocument, TypedDocumentNode, VariablesOf } from './document';
export type { NodeOf, PageVariables, PaginateOptions } from './paginate';
export type { RetryEvent, RetryOptions } from './retry';
export { ErrorCode, NokkelError } from './errors';
export type { ClientLinkFailure, GraphQLErrorEntry, NokkelErrorDetails } from './errors';
export * from './generated/graphql';
export type { Requester } from './generated/sdk';
export { getSdk } from './generated/sdk';
