/**
 * @nokkel/client-sdk: a typed client for the Nøkkel GraphQL API.
 *
 * - `createClient({ url, token, companyId })`: one typed method per operation;
 * - `NokkelError`: what every method throws on a GraphQL error;
 * - the generated TypedDocumentNodes (`CreateUserKeyDocument`, …), fragment types
 *   (`UserKeyFieldsFragment`, …), input types and enums (`Permission`, …) for teams that bring
 *   their own GraphQL client.
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
} from './client';
export { ErrorCode, NokkelError } from './errors';
export type { ClientLinkFailure, GraphQLErrorEntry, NokkelErrorDetails } from './errors';
export * from './generated/graphql';
export type { Requester } from './generated/sdk';
export { getSdk } from './generated/sdk';
