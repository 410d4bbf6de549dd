/**
 * Root fields that answer without a credential, by design. Every other root field requires an
 * authenticated caller (default closed); nested fields are only reachable through a root field.
 */
export const OPEN_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'Query.permissions', // the permission catalog (labels only)
  'Query.applications', // the application catalog
  'Mutation.login',
  'Mutation.reportLeakedSecrets', // R31: whoever finds a leaked secret may report it
]);
