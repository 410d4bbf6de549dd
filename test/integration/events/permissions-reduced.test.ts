import type { EntityManager } from 'typeorm';
import { Permission, PermissionSet } from '../../../server/src/auth/permission';
import { emitClientLinkChanges } from '../../../server/src/modules/events/client-link-events';
import { countStatements } from '../../../server/src/db/statement-counter';
import {
  emitPermissionsReduced,
  type PermissionsReduction,
} from '../../../server/src/modules/events/permissions-reduced';
import { AccessTemplate } from '../../../server/src/modules/clients/access-template.entity';
import { ClientLink } from '../../../server/src/modules/clients/client-link.entity';
import { Employee } from '../../../server/src/modules/employees/employee.entity';
import { UserKey, UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { startEventsApp, type Json } from './helpers';
import { FEED } from './documents';
import { expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const { LOGIN, HOURS_REGISTER, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, INVOICE_WRITE, USER_ADMIN } = Permission;

let run = 0;

const kit = useWorld({ start: () => startEventsApp() });

/** A fresh owner in the office with keys of its own, so each test starts from known permissions. */
async function owner(permissions: Permission[]) {
  run++;
  const employee = await kit.app.seed.employee(kit.world.office, { name: `Owner ${run}`, permissions });
  const key = async (name: string, keyPermissions: Permission[], kind: UserKeyKind = UserKeyKind.EMPLOYEE) =>
    (await kit.app.seed.userKey(employee, { name, permissions: keyPermissions, kind })).userKey;
  return { employee, key };
}

/** Runs the change and the emission in one transaction; returns the statements the emission added. */
async function apply(
  change: PermissionsReduction,
  write: (m: EntityManager) => Promise<unknown>,
  emission: (m: EntityManager) => Promise<void> = (m) => emitPermissionsReduced(m, change),
) {
  const measure = async (emit: boolean) => {
    const { result, scope } = countStatements(() =>
      kit.app.server.db.transaction(async (manager) => {
        if (emit) await emission(manager);
        await write(manager);
      }),
    );
    await result;
    return scope.statements;
  };
  // the change with its events first (the emission may read the state before the change); then
  // the same write alone, which changes nothing any more but issues the same statements
  const withEmission = await measure(true);
  const without = await measure(false);
  return withEmission - without;
}

/** The permissions_reduced events of some keys, as `key name@client name: removed`. */
async function reductions(keys: UserKey[]): Promise<string[]> {
  const names = new Map<string, string>([
    ...keys.map((k) => [k.id, k.name] as [string, string]),
    [kit.world.bakeri.id, 'Bakeri'],
    [kit.world.fjordFisk.id, 'Fjord'],
  ]);
  const rows: { data: string; company_id: string; counterpart_company_id: string | null }[] =
    await kit.app.server.db.manager.query(
      "SELECT data, company_id, counterpart_company_id FROM access_event WHERE type = 'user_key.permissions_reduced'",
    );
  return rows
    .map((r) => ({ ...r, data: JSON.parse(r.data) }))
    .filter((r) => names.has(r.data.userKeyId))
    .map((r) => {
      expect(r.company_id).toBe(kit.world.office.id);
      expect(r.counterpart_company_id).toBe(r.data.clientId);
      const where = r.data.clientId ? `@${names.get(r.data.clientId)}` : '';
      return `${names.get(r.data.userKeyId)}${where}: ${r.data.cause} ${r.data.removedPermissions.join(',')}`;
    })
    .sort();
}

test('R35: an owner losing permissions emits permissions_reduced for each live key of theirs that held one — one statement for all', async () => {
  const { employee, key } = await owner([LOGIN, HOURS_REGISTER, CUSTOMER_READ, INVOICE_READ, INVOICE_WRITE]);
  const reads = await key('reads', [LOGIN, CUSTOMER_READ, INVOICE_READ]);
  const hours = await key('hours', [LOGIN, HOURS_REGISTER]);
  const accountant = await key('accountant', [CUSTOMER_READ, INVOICE_WRITE], UserKeyKind.ACCOUNTANT);
  const revoked = await key('revoked', [CUSTOMER_READ]);
  await kit.app.server.db.manager.update(UserKey, { id: revoked.id }, { revokedAt: new Date() });
  const before = PermissionSet.fromBits(employee.permissionBits);
  const after = before.minus(PermissionSet.of([CUSTOMER_READ, INVOICE_WRITE]));

  const added = await apply({ cause: 'OWNER_PERMISSIONS', ownerId: employee.id, before, after }, (m) =>
    m.update(Employee, { id: employee.id }, { permissionBits: after.bits }),
  );
  expect(added).toBe(1);
  expect(await reductions([reads, hours, accountant, revoked])).toEqual([
    'accountant: OWNER_PERMISSIONS CUSTOMER_READ,INVOICE_WRITE',
    'reads: OWNER_PERMISSIONS CUSTOMER_READ',
  ]);
});

test('R35: a template losing permissions emits permissions_reduced per linked key and client, to the client too', async () => {
  const { key } = await owner([LOGIN, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ]);
  const linked = await key(
    'linked',
    [CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, INVOICE_WRITE],
    UserKeyKind.ACCOUNTANT,
  );
  const readOnly = await key('readOnly', [CUSTOMER_READ], UserKeyKind.ACCOUNTANT);
  const template = await kit.app.seed.accessTemplate(kit.world.office, `Template ${run}`, [
    CUSTOMER_READ,
    CUSTOMER_WRITE,
    INVOICE_READ,
    INVOICE_WRITE,
  ]);
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, linked, template);
  await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, linked, template);
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, readOnly, template);
  const before = PermissionSet.fromBits(template.permissionBits);
  const after = PermissionSet.of([CUSTOMER_READ, INVOICE_READ]);

  const added = await apply({ cause: 'ACCESS_TEMPLATE', templateId: template.id, before, after }, (m) =>
    m.update(AccessTemplate, { id: template.id }, { permissionBits: after.bits }),
  );
  expect(added).toBe(1);
  // INVOICE_WRITE is the key's, but its owner never had it: the key never had it at a client either
  expect(await reductions([linked, readOnly])).toEqual([
    'linked@Bakeri: ACCESS_TEMPLATE CUSTOMER_WRITE',
    'linked@Fjord: ACCESS_TEMPLATE CUSTOMER_WRITE',
  ]);
  await kit.app.server.services.events.engine.tick();
  const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
  const bakeriFeed: Json = expectOk(
    await kit.app.api.request(FEED, { types: ['user_key.permissions_reduced'] }, { token: bakeriAdmin }),
  );
  expect(bakeriFeed.accessEvents.edges.map((e: Json) => JSON.parse(e.node.data).userKeyId)).toContain(linked.id);
});

test('R35: links moving to a narrower template emit permissions_reduced for what the key loses at each client', async () => {
  const { key } = await owner([LOGIN, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, INVOICE_WRITE]);
  const moved = await key(
    'moved',
    [CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, INVOICE_WRITE],
    UserKeyKind.ACCOUNTANT,
  );
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, moved, kit.world.bokforing);
  await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, moved, kit.world.bokforing);
  const change: PermissionsReduction = {
    cause: 'CLIENT_LINK',
    userKeyId: moved.id,
    clientIds: [kit.world.bakeri.id],
    newTemplateId: kit.world.kunLese.id,
  };
  // the emission reads the links' current templates, so it runs before the move is written
  const added = await apply(change, (m) =>
    m.update(ClientLink, { granteeId: moved.id, clientId: kit.world.bakeri.id }, { templateId: kit.world.kunLese.id }),
  );
  expect(added).toBe(1);
  expect(await reductions([moved])).toEqual(['moved@Bakeri: CLIENT_LINK CUSTOMER_WRITE,INVOICE_WRITE']);
});

test('R35: a change that takes nothing away emits nothing and adds no statement', async () => {
  const { employee, key } = await owner([LOGIN, CUSTOMER_READ]);
  const unchanged = await key('unchanged', [LOGIN, CUSTOMER_READ]);
  const before = PermissionSet.fromBits(employee.permissionBits);
  const after = before.union(PermissionSet.of([INVOICE_READ, USER_ADMIN]));
  const added = await apply({ cause: 'OWNER_PERMISSIONS', ownerId: employee.id, before, after }, (m) =>
    m.update(Employee, { id: employee.id }, { permissionBits: after.bits }),
  );
  expect(added).toBe(0);
  expect(await reductions([unchanged])).toEqual([]);
});

test('R35: a template update writes access_template.updated and every reduction it causes in one statement', async () => {
  const { key } = await owner([LOGIN, CUSTOMER_READ, CUSTOMER_WRITE]);
  const linked = await key('underTemplate', [CUSTOMER_READ, CUSTOMER_WRITE], UserKeyKind.ACCOUNTANT);
  const template = await kit.app.seed.accessTemplate(kit.world.office, `Template ${run}`, [
    CUSTOMER_READ,
    CUSTOMER_WRITE,
  ]);
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, linked, template);
  const before = PermissionSet.fromBits(template.permissionBits);
  const after = PermissionSet.of([CUSTOMER_READ, INVOICE_READ]);
  const updated = {
    type: 'access_template.updated' as const,
    companyId: kit.world.office.id,
    data: {
      templateId: template.id,
      officeId: kit.world.office.id,
      addedPermissions: [INVOICE_READ],
      removedPermissions: [CUSTOMER_WRITE],
    },
  };
  const { result, scope } = countStatements(() =>
    kit.app.server.db.transaction(async (manager) => {
      await emitPermissionsReduced(
        manager,
        { cause: 'ACCESS_TEMPLATE', templateId: template.id, before, after },
        new Date(),
        [updated],
      );
    }),
  );
  await result;
  const { scope: empty, result: none } = countStatements(() => kit.app.server.db.transaction(async () => undefined));
  await none;
  expect(scope.statements - empty.statements).toBe(1);
  expect(await reductions([linked])).toEqual(['underTemplate@Bakeri: ACCESS_TEMPLATE CUSTOMER_WRITE']);
  const rows: { data: string }[] = await kit.app.server.db.manager.query(
    "SELECT data FROM access_event WHERE type = 'access_template.updated' AND data LIKE ?",
    [`%${template.id}%`],
  );
  expect(rows.map((r) => JSON.parse(r.data))).toEqual([updated.data]);
});

test('R35: linking emits client_link.created for new clients, client_link.template_changed and the key’s reductions for moved ones — one statement', async () => {
  const { key } = await owner([LOGIN, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, INVOICE_WRITE]);
  const relinked = await key('relinked', [CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ], UserKeyKind.ACCOUNTANT);
  const existing = await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, relinked, kit.world.bokforing);
  const change = {
    officeId: kit.world.office.id,
    userKeyId: relinked.id,
    employeeId: null,
    clients: [
      { clientId: kit.world.bakeri.id, previousTemplateId: kit.world.bokforing.id },
      { clientId: kit.world.fjordFisk.id, previousTemplateId: null },
    ],
    templateId: kit.world.kunLese.id,
  };
  const added = await apply(
    { cause: 'CLIENT_LINK', userKeyId: relinked.id, clientIds: [], newTemplateId: '' },
    async (m) => {
      await m.update(ClientLink, { id: existing.id }, { templateId: kit.world.kunLese.id });
      await m.query('DELETE FROM client_link WHERE grantee_id = ? AND client_id = ?', [
        relinked.id,
        kit.world.fjordFisk.id,
      ]);
      await m.insert(ClientLink, {
        ...existing,
        id: `lnk_${existing.id.slice(4, 20)}FJORDFISK0`,
        clientId: kit.world.fjordFisk.id,
        templateId: kit.world.kunLese.id,
      });
    },
    (m) => emitClientLinkChanges(m, change),
  );
  expect(added).toBe(1);
  expect(await reductions([relinked])).toEqual(['relinked@Bakeri: CLIENT_LINK CUSTOMER_WRITE']);
  const rows: { type: string; company_id: string; counterpart_company_id: string; data: string }[] =
    await kit.app.server.db.manager.query(
      "SELECT type, company_id, counterpart_company_id, data FROM access_event WHERE type LIKE 'client_link.%' AND data LIKE ?",
      [`%${relinked.id}%`],
    );
  expect(
    rows
      .map((r) => ({
        type: r.type,
        company: r.company_id,
        counterpart: r.counterpart_company_id,
        data: JSON.parse(r.data),
      }))
      .sort((a, b) => a.type.localeCompare(b.type)),
  ).toEqual([
    {
      type: 'client_link.created',
      company: kit.world.office.id,
      counterpart: kit.world.fjordFisk.id,
      data: {
        officeId: kit.world.office.id,
        clientId: kit.world.fjordFisk.id,
        userKeyId: relinked.id,
        employeeId: null,
        templateId: kit.world.kunLese.id,
      },
    },
    {
      type: 'client_link.template_changed',
      company: kit.world.office.id,
      counterpart: kit.world.bakeri.id,
      data: {
        officeId: kit.world.office.id,
        clientId: kit.world.bakeri.id,
        userKeyId: relinked.id,
        employeeId: null,
        previousTemplateId: kit.world.bokforing.id,
        templateId: kit.world.kunLese.id,
      },
    },
  ]);
});
