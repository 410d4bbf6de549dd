import type { TestApp } from '../../testkit/app';
import type { GraphQLResponse } from '../../testkit/graphql-client';

/** Shared documents of the reach, client-panel and usage tests (issue 13). */

const REACH_NODE = 'client { id name } template { id name } effectivePermissions canAct blockedReason';

export const MY_REACH = `query ($first: Int, $after: String, $canAct: Boolean) {
  viewer { userKey { id reach(first: $first, after: $after, canAct: $canAct) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${REACH_NODE} } } } } }
}`;

export const KEY_REACH = `query ($id: ID!, $first: Int, $after: String, $canAct: Boolean) {
  userKey(id: $id) { id reach(first: $first, after: $after, canAct: $canAct) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${REACH_NODE} } } } }
}`;

export const OFFICES = `query ($first: Int) { company { id accountingOffices { office { id name } apiAccess
  access(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node {
    userKey { id name } employee { id name } application { id name } template { id name }
    effectivePermissions lastUsedAt blockedByClient } } } } } }`;

export const SET_BLOCK = 'mutation ($input: SetClientBlockInput!) { setClientBlock(input: $input) }';

export const CUSTOMERS = '{ customers(first: 5) { edges { node { name } } } }';

export interface ReachNode {
  client: { id: string; name: string };
  template: { id: string; name: string };
  effectivePermissions: string[];
  canAct: boolean;
  blockedReason: string | null;
}

/** The reach nodes of a response (viewer's or userKey's), by client id. */
export function reachByClient(res: GraphQLResponse): Map<string, ReachNode> {
  const data = res.data as { viewer?: { userKey: ReachHolder }; userKey?: ReachHolder };
  const holder = data.viewer?.userKey ?? data.userKey;
  if (!holder) throw new Error(`no reach: ${JSON.stringify(res.errors)}`);
  return new Map(holder.reach.edges.map((e) => [e.node.client.id, e.node]));
}

interface ReachHolder {
  reach: { edges: { node: ReachNode }[] };
}

/** Blocks (or unblocks) as the client's admin; fails the test on errors. */
export async function setBlock(
  app: TestApp,
  clientAdminToken: string,
  input: { officeId: string; userKeyId?: string; applicationId?: string; employeeId?: string; blocked: boolean },
): Promise<void> {
  const res = await app.api.request(SET_BLOCK, { input }, { token: clientAdminToken });
  if (res.errors.length || res.data?.setClientBlock !== true) throw new Error(JSON.stringify(res.errors));
}
