/** The GraphQL documents of the feed and webhook tests. */

export const FEED = `query ($first: Int, $after: String, $types: [String!]) {
  accessEvents(first: $first, after: $after, types: $types) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type at data } } } }`;

export const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes enabled secretHint } } }`;
export const UPDATE_ENDPOINT = `mutation ($id: ID!, $input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(id: $id, input: $input) { id url eventTypes enabled disabledAt disabledReason failingSince } }`;
export const DELETE_ENDPOINT = 'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }';
export const ROTATE_SECRET = `mutation ($id: ID!) {
  rotateWebhookSecret(id: $id) { secret endpoint { id secretHint previousSecretExpiresAt } } }`;
export const REDELIVER = `mutation ($deliveryId: ID!) {
  redeliverWebhookEvent(deliveryId: $deliveryId) { id status attemptCount event { id type } } }`;
export const ENDPOINTS = `query ($first: Int) { webhookEndpoints(first: 10) { totalCount edges { node {
  id url eventTypes enabled disabledAt disabledReason failingSince nextAttemptAt
  deliveries(first: $first) { totalCount edges { node { id status attemptCount lastStatusCode deliveredAt
    event { id type data } attempts { at statusCode durationMs error } } } } } } } }`;
