/** The GraphQL documents of the key tests. */

/** Every field the key screens read (R20), plus the permission view (R5). */
export const KEY_FIELDS = `id name kind status applicationName application { id name } owner { id name }
  permissions effectivePermissions permissionGrants { permission granted effective locked }
  tokenHint createdAt lastUsedAt expiresAt revokedAt`;

export const CREATE_KEY = `mutation ($input: CreateUserKeyInput!) {
  createUserKey(input: $input) { token userKey { ${KEY_FIELDS} } } }`;
export const RESTORE_KEY = `mutation ($id: ID!) { restoreUserKey(id: $id) { token userKey { ${KEY_FIELDS} } } }`;
export const REVOKE_KEY = `mutation ($id: ID!) { revokeUserKey(id: $id) { ${KEY_FIELDS} } }`;
export const SET_KEY_PERMISSIONS = `mutation ($id: ID!, $permissions: [Permission!]!) {
  setUserKeyPermissions(id: $id, permissions: $permissions) { ${KEY_FIELDS} } }`;
export const SET_EMPLOYEE_PERMISSIONS = `mutation ($employeeId: ID!, $permissions: [Permission!]!) {
  setEmployeePermissions(employeeId: $employeeId, permissions: $permissions) { id } }`;
export const USER_KEY = `query ($id: ID!) { userKey(id: $id) { ${KEY_FIELDS} } }`;
export const VIEWER = '{ viewer { employee { id name } userKey { id } company { id } effectivePermissions } }';
export const ACTIVATE = `mutation ($accept: Boolean!) { activateIntegrations(acceptTerms: $accept) {
  id integrationsActive integrationsActivatedAt integrationsTermsVersion integrationsActivatedBy { id } } }`;
