import { Permission } from '../../../server/src/auth/permission';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import type { Employee } from '../../../server/src/modules/employees/employee.entity';
import { AccessEvent } from '../../../server/src/modules/events/access-event.entity';
import { WebhookAttempt } from '../../../server/src/modules/webhooks/webhook-attempt.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from '../../../server/src/modules/webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../../../server/src/modules/webhooks/webhook-endpoint.entity';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { newId } from '../../../server/src/shared/ids';
import { UserKeyKind } from '../../../server/src/shared/domain-enums';
import { ClientRelation } from '../../../server/src/modules/clients/client-relation.entity';
import { useWorld } from '../../testkit/run';
import { expectCode } from '../../testkit/expect';

/**
 * Global object identification (conventions §9): `node(id:)` and `nodes(ids:)` reach each object
 * as its own query does — the same permission, the same tenancy — so another company's object is
 * null, and field permissions still apply to what is read through them.
 */

/** One object of each type with an id, in a company. */
type Objects = Record<string, string>;
let mine: Objects;
let theirs: Objects;

/** Writes one of each kind of object of `office` (and its client `client`), returning their ids by type. */
async function objectsOf(office: Company, admin: Employee, client: Company): Promise<Objects> {
  const { seed, server } = kit.app;
  const m = server.db.manager;
  const { userKey } = await seed.userKey(admin, { permissions: [Permission.LOGIN], kind: UserKeyKind.ACCOUNTANT });
  const template = await seed.accessTemplate(office, `Mal ${office.name}`, [Permission.CUSTOMER_READ]);
  const relation = await m.findOneByOrFail(ClientRelation, {
    officeId: office.id,
    clientId: client.id,
  });
  const link = await seed.clientLink(office, client, userKey, template);
  const customer = await seed.customer(office, `Kunde av ${office.name}`);
  const invoice = await seed.invoice(office, customer, 100);
  const hours = await seed.hours(admin, '2026-11-03', 1, null);
  const now = new Date();
  const audit = Object.assign(new AuditEvent(), {
    id: newId('auditEvent'),
    at: now,
    companyId: office.id,
    action: 'test.node',
    targetType: 'Company',
    targetId: office.id,
  });
  await m.save(audit);
  const event = {
    id: newId('accessEvent'),
    type: 'user_key.created',
    at: now,
    companyId: office.id,
    data: '{}',
    seq: Date.now(),
  };
  await m.insert(AccessEvent, event);
  const endpoint = {
    id: newId('webhookEndpoint'),
    companyId: office.id,
    url: 'https://hooks.example/in',
    secretSealed: 'sealed',
    secretHint: 'whsec_…',
    createdAt: now,
    updatedAt: now,
  };
  await m.insert(WebhookEndpoint, endpoint);
  const delivery = {
    id: newId('webhookDelivery'),
    endpointId: endpoint.id,
    eventId: event.id,
    position: 1,
    status: WebhookDeliveryStatus.DELIVERED,
    createdAt: now,
  };
  await m.insert(WebhookDelivery, delivery);
  const attempt = { id: newId('webhookAttempt'), deliveryId: delivery.id, at: now, statusCode: 200, durationMs: 5 };
  await m.insert(WebhookAttempt, attempt);
  return {
    Company: office.id,
    Employee: admin.id,
    UserKey: userKey.id,
    AccessTemplate: template.id,
    Client: relation.id,
    ClientLink: link.id,
    Customer: customer.id,
    Invoice: invoice.id,
    TimesheetEntry: hours.id,
    AuditEvent: audit.id,
    AccessEvent: event.id,
    WebhookEndpoint: endpoint.id,
    WebhookDelivery: delivery.id,
    WebhookDeliveryAttempt: attempt.id,
  };
}

const NODE = 'query ($id: ID!) { node(id: $id) { __typename id } }';

const kit = useWorld({ sessions: ['kari', 'per'] });
beforeAll(async () => {
  mine = await objectsOf(kit.world.office, kit.world.kari, kit.world.bakeri);
  theirs = await objectsOf(kit.world.other.office, kit.world.other.admin, kit.world.other.client);
});

test('node(id:) returns a UserKey by id, with its fields', async () => {
  const res = await kit.app.api.request(
    'query ($id: ID!) { node(id: $id) { __typename id ... on UserKey { name kind owner { id } } } }',
    { id: mine.UserKey },
    { token: kit.token.kari },
  );
  expect(res.errors).toEqual([]);
  expect(res.data.node).toMatchObject({
    __typename: 'UserKey',
    id: mine.UserKey,
    kind: 'ACCOUNTANT',
    owner: { id: kit.world.kari.id },
  });
});

test('node(id:) returns each type of one’s own company by id, with its type', async () => {
  for (const [type, id] of Object.entries(mine)) {
    const res = await kit.app.api.request(NODE, { id }, { token: kit.token.kari });
    expect({ type, errors: res.errors, node: res.data.node }).toEqual({
      type,
      errors: [],
      node: { __typename: type, id },
    });
  }
});

test('node(id:) is null, without an error, for an object of another company, of every type', async () => {
  for (const [type, id] of Object.entries(theirs)) {
    const res = await kit.app.api.request(NODE, { id }, { token: kit.token.kari });
    expect({ type, errors: res.errors, node: res.data.node }).toEqual({ type, errors: [], node: null });
  }
});

test('the application catalog is open: an application is a node to everyone', async () => {
  const res = await kit.app.api.request(NODE, { id: kit.world.apps.fiken.id }, { token: kit.token.kari });
  expect(res.data.node).toEqual({ __typename: 'Application', id: kit.world.apps.fiken.id });
});

test('nodes(ids:) keeps the order, nulls what the caller cannot see, and refuses more than 100 ids', async () => {
  const ids = [mine.UserKey, theirs.UserKey, mine.Customer, theirs.Customer, 'key_nonsense', 'not-an-id'];
  const res = await kit.app.api.request(
    'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
    { ids },
    { token: kit.token.kari },
  );
  expect(res.errors).toEqual([]);
  expect(res.data.nodes).toEqual([
    { __typename: 'UserKey', id: mine.UserKey },
    null,
    { __typename: 'Customer', id: mine.Customer },
    null,
    null,
    null,
  ]);
  const tooMany = await kit.app.api.request(
    'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
    { ids: Array.from({ length: 101 }, () => mine.Customer) },
    { token: kit.token.kari },
  );
  expectCode(tooMany, 'BAD_USER_INPUT');
});

describe('attacker', () => {
  test('another company’s employees, keys, templates, links and events are null through nodes(ids:)', async () => {
    const ids = [
      theirs.Employee,
      theirs.UserKey,
      theirs.AccessTemplate,
      theirs.ClientLink,
      theirs.AuditEvent,
      theirs.AccessEvent,
      kit.world.other.clientAdmin.id,
    ];
    const res = await kit.app.api.request(
      'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids },
      { token: kit.token.kari },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.nodes).toEqual(ids.map(() => null));
  });

  test('without a credential, node is refused', async () => {
    const res = await kit.app.api.request(NODE, { id: mine.Customer });
    expectCode(res, 'UNAUTHENTICATED');
  });

  test('the permission of the object’s own query applies: Per (no EMPLOYEE_READ) gets FORBIDDEN for an employee', async () => {
    const res = await kit.app.api.request(NODE, { id: kit.world.ola.id }, { token: kit.token.per });
    expect(res.data.node).toBeNull();
    expectCode(res, 'FORBIDDEN');
    // and for a key he does not own: invisible (R20), as userKey(id:) would say NOT_FOUND
    const key = await kit.app.api.request(NODE, { id: mine.UserKey }, { token: kit.token.per });
    expect(key.errors).toEqual([]);
    expect(key.data.node).toBeNull();
  });

  test('field permissions apply through node: Employee.annualSalary needs PAYROLL_READ', async () => {
    const { userKey, token } = await kit.app.seed.userKey(kit.world.kari, {
      permissions: [Permission.LOGIN, Permission.EMPLOYEE_READ],
    });
    expect(userKey.id).toBeTruthy();
    const res = await kit.app.api.request(
      'query ($id: ID!) { node(id: $id) { ... on Employee { name annualSalary } } }',
      { id: kit.world.ola.id },
      { token },
    );
    expect(res.data.node).toEqual({ name: 'Ola Hansen', annualSalary: null });
    expectCode(res, 'FORBIDDEN');
    expect(res.errors[0]?.path).toEqual(['node', 'annualSalary']);
  });

  test('an accountant key at a client sees the client’s objects and not the office’s', async () => {
    const { userKey, token } = await kit.app.seed.userKey(kit.world.kari, {
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
      kind: UserKeyKind.ACCOUNTANT,
    });
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.bokforing);
    const bakeriCustomer = await kit.app.seed.customer(kit.world.bakeri, 'Bakeri-kunde AS');
    const atBakeri = { token, companyId: kit.world.bakeri.id };
    const res = await kit.app.api.request(
      'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
      { ids: [bakeriCustomer.id, mine.Customer] },
      atBakeri,
    );
    expect(res.data.nodes).toEqual([{ __typename: 'Customer', id: bakeriCustomer.id }, null]);
  });
});
