import type { Permission } from '../../../server/src/auth/permission';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import type { Employee } from '../../../server/src/modules/employees/employee.entity';
import { UserKeyKind, type UserKey } from '../../../server/src/modules/keys/user-key.entity';
import type { TestApp } from '../../testkit/app';
import { expectOk } from '../../testkit/expect';
import type { World } from '../../testkit/world';

/** Shared documents and small helpers of the client-module tests (issue 4). */

export const VIEWER =
  '{ viewer { company { id name integrationsActive } effectivePermissions actingAtClient accessTemplate { id name } userKey { id } employee { id } } }';

export const BULK_LINK = `mutation ($input: BulkLinkClientsInput!) {
  bulkLinkClients(input: $input) { linkedCount links { id client { id name } template { id name } userKey { id } employee { id } } }
}`;

export const LINK_ONE = `mutation ($input: LinkClientInput!) {
  linkClient(input: $input) { id client { id } template { id name } userKey { id } employee { id } }
}`;

export const UNLINK = 'mutation ($input: UnlinkClientsInput!) { unlinkClients(input: $input) { unlinkedCount } }';

export const SET_API_ACCESS = `mutation ($input: SetAccountantApiAccessInput!) {
  setAccountantApiAccess(input: $input) { apiAccess apiAccessChangedAt company { id } office { id } accountant { id name } }
}`;

export const CREATE_TEMPLATE =
  'mutation ($input: AccessTemplateInput!) { createAccessTemplate(input: $input) { id name permissions } }';

export const UPDATE_TEMPLATE =
  'mutation ($id: ID!, $input: UpdateAccessTemplateInput!) { updateAccessTemplate(id: $id, input: $input) { id name permissions } }';

export const DELETE_TEMPLATE = 'mutation ($id: ID!) { deleteAccessTemplate(id: $id) }';

export const TEMPLATES = '{ accessTemplates { id name permissions } }';

export const AUDIT =
  '{ auditEvents(first: 100) { edges { node { action targetId details actorEmployee { id } actorUserKey { id } } } } }';

export interface AuditRow {
  action: string;
  targetId: string | null;
  details: string | null;
  actorEmployee: { id: string } | null;
  actorUserKey: { id: string } | null;
}

/** The audit events of the company the token acts in, newest first. */
export async function auditEvents(app: TestApp, token: string, companyId?: string): Promise<AuditRow[]> {
  const res = await app.api.request<{ auditEvents: { edges: { node: AuditRow }[] } }>(AUDIT, {}, { token, companyId });
  return expectOk(res).auditEvents.edges.map((e) => e.node);
}

/** An accountant key seeded straight into the database (creating keys is tested in test/integration/keys). */
export function accountantKey(
  app: TestApp,
  world: World,
  owner: Employee,
  permissions: readonly Permission[],
  name = 'Fiken Sync (regnskap)',
): Promise<{ userKey: UserKey; token: string }> {
  return app.seed.userKey(owner, { kind: UserKeyKind.ACCOUNTANT, application: world.apps.fiken, permissions, name });
}

/** `{ clientIds, … }` input with Company ids. */
export function ids(...companies: Company[]): string[] {
  return companies.map((c) => c.id);
}

/** The node ids of a connection's edges. */
export function nodeIds(connection: { edges: { node: { id: string } }[] }): string[] {
  return connection.edges.map((e) => e.node.id);
}

/** Rows of client_link for a grantee, read straight from the database. */
export async function linkRows(
  app: TestApp,
  granteeId: string,
): Promise<{ id: string; client_id: string; template_id: string }[]> {
  return app.server.db.manager.query(
    'SELECT id, client_id, template_id FROM client_link WHERE grantee_id = ? ORDER BY client_id',
    [granteeId],
  );
}

/** Number of audit_event rows with this action in a company, straight from the database. */
export async function auditCount(app: TestApp, companyId: string, action: string): Promise<number> {
  const rows: { n: number | string }[] = await app.server.db.manager.query(
    'SELECT COUNT(*) AS n FROM audit_event WHERE company_id = ? AND action = ?',
    [companyId, action],
  );
  return Number(rows[0].n);
}

/** A client's admin switches its accountant office's API access (R18); fails the test if refused. */
export async function switchApiAccess(app: TestApp, clientAdminToken: string, officeId: string, enabled: boolean) {
  const input = { accountingOfficeId: officeId, enabled };
  return expectOk(await app.api.request(SET_API_ACCESS, { input }, { token: clientAdminToken })).setAccountantApiAccess;
}
