import { Field, ID, InterfaceType } from 'type-graphql';
import { ID_PREFIX } from './ids';

/** The GraphQL object type of each kind of id (global object identification: an id names its type). */
export const NODE_TYPE_BY_PREFIX: Readonly<Record<string, string>> = {
  [ID_PREFIX.company]: 'Company',
  [ID_PREFIX.employee]: 'Employee',
  [ID_PREFIX.application]: 'Application',
  [ID_PREFIX.userKey]: 'UserKey',
  [ID_PREFIX.accessTemplate]: 'AccessTemplate',
  [ID_PREFIX.clientRelation]: 'Client',
  [ID_PREFIX.clientLink]: 'ClientLink',
  [ID_PREFIX.auditEvent]: 'AuditEvent',
  [ID_PREFIX.customer]: 'Customer',
  [ID_PREFIX.timesheetEntry]: 'TimesheetEntry',
  [ID_PREFIX.invoice]: 'Invoice',
  [ID_PREFIX.accessEvent]: 'AccessEvent',
  [ID_PREFIX.webhookEndpoint]: 'WebhookEndpoint',
  [ID_PREFIX.webhookDelivery]: 'WebhookDelivery',
  [ID_PREFIX.webhookAttempt]: 'WebhookDeliveryAttempt',
};

/** The object type an id belongs to, or undefined for an id of no known kind. */
export function nodeTypeOf(id: string): string | undefined {
  const prefix = id.split('_', 1)[0] ?? '';
  return Object.hasOwn(NODE_TYPE_BY_PREFIX, prefix) ? NODE_TYPE_BY_PREFIX[prefix] : undefined;
}

/** Global object identification (SPEC §9 conventions): every object with an id; fetch any by `node(id:)`. */
@InterfaceType({
  description: 'An object with an id; `node(id:)` and `nodes(ids:)` fetch any of them by id.',
  resolveType: (value: { id: string }) => nodeTypeOf(value.id),
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
