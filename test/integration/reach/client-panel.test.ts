import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind, type UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { codes } from '../../testkit/graphql-client';
import { PASSWORD } from '../../testkit/world';
import { CUSTOMERS, MY_REACH, OFFICES, SET_BLOCK, reachByClient, setBlock } from './helpers';
import { useWorld } from '../../testkit/run';
import { expectCode, expectNotFound } from '../../testkit/expect';

let fiken: { userKey: UserKey; token: string };
let power: { userKey: UserKey; token: string };
let perKey: { userKey: UserKey; token: string };
let otherOfficeKey: { userKey: UserKey; token: string };

const READ = [Permission.CUSTOMER_READ, Permission.INVOICE_READ];

const kit = useWorld({ sessions: ['bakeriAdmin', 'fjordAdmin', 'per'] });
beforeAll(async () => {
  const accountant = (owner = kit.world.kari, application = kit.world.apps.fiken, name = 'Fiken') =>
    kit.app.seed.userKey(owner, { kind: UserKeyKind.ACCOUNTANT, application, permissions: READ, name });
  fiken = await accountant();
  power = await accountant(kit.world.kari, kit.world.apps.powerOffice, 'PowerOffice');
  perKey = await accountant(kit.world.per, kit.world.apps.bankFeed, 'Pers bank');
  for (const client of [kit.world.bakeri, kit.world.fjordFisk]) {
    for (const grantee of [fiken.userKey, power.userKey, perKey.userKey, kit.world.per]) {
      await kit.app.seed.clientLink(kit.world.office, client, grantee, kit.world.kunLese);
    }
  }
  // a second office keeps Bakeri's books too, with a key of its own there
  await kit.app.seed.clientRelation(kit.world.other.office, kit.world.bakeri);
  const template = await kit.app.seed.accessTemplate(kit.world.other.office, 'Annen mal', READ);
  otherOfficeKey = await kit.app.seed.userKey(kit.world.other.admin, {
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
    permissions: READ,
    name: 'Annen nøkkel',
  });
  await kit.app.seed.clientLink(kit.world.other.office, kit.world.bakeri, otherOfficeKey.userKey, template);
  await kit.app.seed.clientLink(kit.world.other.office, kit.world.other.client, otherOfficeKey.userKey, template);
});

interface AccessNode {
  userKey: { id: string } | null;
  employee: { id: string };
  application: { id: string } | null;
  effectivePermissions: string[];
  blockedByClient: boolean;
}
interface OfficeNode {
  office: { id: string; name: string };
  apiAccess: boolean;
  access: { totalCount: number; edges: { node: AccessNode }[] };
}

async function panel(token: string): Promise<OfficeNode[]> {
  const res = await kit.app.api.request(OFFICES, { first: 50 }, { token });
  expect(res.errors).toEqual([]);
  return res.data.company.accountingOffices;
}

const grantees = (office: OfficeNode) =>
  office.access.edges.map((e) => e.node.userKey?.id ?? `person:${e.node.employee.id}`).sort();

async function canRead(token: string, companyId: string): Promise<string[]> {
  return codes(await kit.app.api.request(CUSTOMERS, {}, { token, companyId }));
}

describe('R33: the client’s panel', () => {
  test('R33: the client’s admin sees each office with exactly its keys and people linked here — no other client’s', async () => {
    const offices = await panel(kit.token.bakeriAdmin);
    expect(offices.map((o) => o.office.id).sort()).toEqual([kit.world.office.id, kit.world.other.office.id].sort());
    const regnskap = offices.find((o) => o.office.id === kit.world.office.id) as OfficeNode;
    expect(regnskap).toMatchObject({ office: { name: 'Regnskap AS' }, apiAccess: true, access: { totalCount: 4 } });
    expect(grantees(regnskap)).toEqual(
      [fiken.userKey.id, power.userKey.id, perKey.userKey.id, `person:${kit.world.per.id}`].sort(),
    );
    const keyNode = regnskap.access.edges.find((e) => e.node.userKey?.id === fiken.userKey.id)?.node;
    expect(keyNode).toMatchObject({
      employee: { id: kit.world.kari.id },
      application: { id: kit.world.apps.fiken.id },
      effectivePermissions: READ,
      blockedByClient: false,
    });
    const other = offices.find((o) => o.office.id === kit.world.other.office.id) as OfficeNode;
    expect(grantees(other)).toEqual([otherOfficeKey.userKey.id]);

    // Fjord Fisk sees only Regnskap AS, and only its links there
    const fjord = await panel(kit.token.fjordAdmin);
    expect(fjord.map((o) => o.office.id)).toEqual([kit.world.office.id]);
    expect(fjord[0].access.totalCount).toBe(4);
  });

  test('R33: blocking one application stops its keys at that client only; the office’s other keys keep working', async () => {
    await setBlock(kit.app, kit.token.bakeriAdmin, {
      officeId: kit.world.office.id,
      applicationId: kit.world.apps.fiken.id,
      blocked: true,
    });
    expect(await canRead(fiken.token, kit.world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    expect(await canRead(fiken.token, kit.world.fjordFisk.id)).toEqual([]);
    expect(await canRead(power.token, kit.world.bakeri.id)).toEqual([]);
    expect(await canRead(perKey.token, kit.world.bakeri.id)).toEqual([]);
    // the other office's Fiken key is not this office's: untouched
    expect(await canRead(otherOfficeKey.token, kit.world.bakeri.id)).toEqual([]);
    expect(
      reachByClient(await kit.app.api.request(MY_REACH, {}, { token: fiken.token })).get(kit.world.bakeri.id),
    ).toMatchObject({
      canAct: false,
      blockedReason: 'BLOCKED_BY_CLIENT',
    });
    const regnskap = (await panel(kit.token.bakeriAdmin)).find(
      (o) => o.office.id === kit.world.office.id,
    ) as OfficeNode;
    const node = regnskap.access.edges.find((e) => e.node.userKey?.id === fiken.userKey.id)?.node;
    expect(node).toMatchObject({ blockedByClient: true, effectivePermissions: [] });

    await setBlock(kit.app, kit.token.bakeriAdmin, {
      officeId: kit.world.office.id,
      applicationId: kit.world.apps.fiken.id,
      blocked: false,
    });
    expect(await canRead(fiken.token, kit.world.bakeri.id)).toEqual([]);
  });

  test('R33: blocking one key stops that key only, on its next request', async () => {
    expect(await canRead(power.token, kit.world.bakeri.id)).toEqual([]);
    await setBlock(kit.app, kit.token.bakeriAdmin, {
      officeId: kit.world.office.id,
      userKeyId: power.userKey.id,
      blocked: true,
    });
    expect(await canRead(power.token, kit.world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    expect(await canRead(fiken.token, kit.world.bakeri.id)).toEqual([]);
    await setBlock(kit.app, kit.token.bakeriAdmin, {
      officeId: kit.world.office.id,
      userKeyId: power.userKey.id,
      blocked: false,
    });
    expect(await canRead(power.token, kit.world.bakeri.id)).toEqual([]);
  });

  test('R33: blocking a person blocks their session and every key they own there, and nowhere else', async () => {
    await setBlock(kit.app, kit.token.bakeriAdmin, {
      officeId: kit.world.office.id,
      employeeId: kit.world.per.id,
      blocked: true,
    });
    expect(await canRead(perKey.token, kit.world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    expect(await canRead(kit.token.per, kit.world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    expect(await canRead(perKey.token, kit.world.fjordFisk.id)).toEqual([]);
    expect(await canRead(kit.token.per, kit.world.fjordFisk.id)).toEqual([]);
    expect(await canRead(fiken.token, kit.world.bakeri.id)).toEqual([]);
    const regnskap = (await panel(kit.token.bakeriAdmin)).find(
      (o) => o.office.id === kit.world.office.id,
    ) as OfficeNode;
    const blocked = regnskap.access.edges.filter((e) => e.node.blockedByClient).map((e) => e.node);
    expect(blocked.map((n) => n.userKey?.id ?? `person:${n.employee.id}`).sort()).toEqual(
      [perKey.userKey.id, `person:${kit.world.per.id}`].sort(),
    );
    await setBlock(kit.app, kit.token.bakeriAdmin, {
      officeId: kit.world.office.id,
      employeeId: kit.world.per.id,
      blocked: false,
    });
    expect(await canRead(perKey.token, kit.world.bakeri.id)).toEqual([]);
  });

  test('R33: a block is audited in both books and announced to both as client.block_changed, in the same transaction', async () => {
    const db = kit.app.server.db.manager;
    const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params))[0].n);
    const audits = () =>
      count("SELECT COUNT(*) AS n FROM audit_event WHERE action = 'client.setBlock' AND target_id = ?", [
        power.userKey.id,
      ]);
    const events = () =>
      count(
        "SELECT COUNT(*) AS n FROM access_event WHERE type = 'client.block_changed' AND company_id = ? AND counterpart_company_id = ? AND data LIKE ?",
        [kit.world.fjordFisk.id, kit.world.office.id, `%${power.userKey.id}%`],
      );
    const [a0, e0] = [await audits(), await events()];
    await setBlock(kit.app, kit.token.fjordAdmin, {
      officeId: kit.world.office.id,
      userKeyId: power.userKey.id,
      blocked: true,
    });
    // setting what already holds records nothing
    await setBlock(kit.app, kit.token.fjordAdmin, {
      officeId: kit.world.office.id,
      userKeyId: power.userKey.id,
      blocked: true,
    });
    expect((await audits()) - a0).toBe(2);
    expect((await events()) - e0).toBe(1);
    const rows: { company_id: string }[] = await db.query(
      "SELECT company_id FROM audit_event WHERE action = 'client.setBlock' AND target_id = ? ORDER BY company_id",
      [power.userKey.id],
    );
    // this key was blocked at Bakeri before: its entries are in Bakeri's and the office's books
    expect(new Set(rows.map((r) => r.company_id))).toEqual(
      new Set([kit.world.fjordFisk.id, kit.world.office.id, kit.world.bakeri.id]),
    );
    // Fjord Fisk's block does not reach Bakeri
    expect(await canRead(power.token, kit.world.bakeri.id)).toEqual([]);
    expect(await canRead(power.token, kit.world.fjordFisk.id)).toEqual(['BLOCKED_BY_CLIENT']);
    await setBlock(kit.app, kit.token.fjordAdmin, {
      officeId: kit.world.office.id,
      userKeyId: power.userKey.id,
      blocked: false,
    });
  });
});

describe('R33: the same block at the same moment', () => {
  test('R33: ten identical blocks at once all succeed, and the block is recorded once', async () => {
    const db = kit.app.server.db.manager;
    const count = async (sql: string) => Number((await db.query(sql, [perKey.userKey.id]))[0].n);
    const audits = () =>
      count("SELECT COUNT(*) AS n FROM audit_event WHERE action = 'client.setBlock' AND target_id = ?");
    const events = () =>
      count(
        "SELECT COUNT(*) AS n FROM access_event WHERE type = 'client.block_changed' AND data LIKE CONCAT('%', ?, '%')",
      );
    const [a0, e0] = [await audits(), await events()];
    const input = { officeId: kit.world.office.id, userKeyId: perKey.userKey.id, blocked: true };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => kit.app.api.request(SET_BLOCK, { input }, { token: kit.token.bakeriAdmin })),
    );
    expect(results.map((r) => [codes(r), r.data?.setClientBlock])).toEqual(Array(10).fill([[], true]));
    expect((await audits()) - a0).toBe(2);
    expect((await events()) - e0).toBe(1);
    expect(await canRead(perKey.token, kit.world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    const lifts = await Promise.all(
      Array.from({ length: 5 }, () =>
        kit.app.api.request(SET_BLOCK, { input: { ...input, blocked: false } }, { token: kit.token.bakeriAdmin }),
      ),
    );
    expect(lifts.map((r) => codes(r))).toEqual(Array(5).fill([]));
    expect((await audits()) - a0).toBe(4);
    expect(await canRead(perKey.token, kit.world.bakeri.id)).toEqual([]);
  });
});

describe('R33: who may see and set a client’s blocks', () => {
  const block = (token: string, input: Record<string, unknown>, companyId?: string) =>
    kit.app.api.request(
      SET_BLOCK,
      { input: { officeId: kit.world.office.id, blocked: true, ...input } },
      { token, companyId },
    );

  test('R33: another client’s admin cannot touch this client: its own panel only, this office’s keys unknown to a stranger', async () => {
    const stranger = await kit.app.api.login('admin@fremmed.example');
    // Fremmed Klient is not a client of Regnskap AS
    expectNotFound(await block(stranger, { userKeyId: fiken.userKey.id }));
    const own = await panel(stranger);
    expect(own.map((o) => o.office.id)).toEqual([kit.world.other.office.id]);
    expect(grantees(own[0])).toEqual([otherOfficeKey.userKey.id]);
    // acting in Bakeri is refused to another client's admin
    expectCode(
      await kit.app.api.request(OFFICES, {}, { token: kit.token.fjordAdmin, companyId: kit.world.bakeri.id }),
      'FORBIDDEN',
    );
    // a key of another office cannot be blocked under this office
    expectNotFound(await block(kit.token.bakeriAdmin, { userKeyId: otherOfficeKey.userKey.id }));
  });

  test('R33: the office cannot read or set its client’s blocks, at home or through its link', async () => {
    const kari = await kit.app.api.login('kari@regnskap.example');
    const atClient = { token: kari, companyId: kit.world.bakeri.id };
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, kit.world.kari, kit.world.kunLese);
    expectCode(await kit.app.api.request(OFFICES, {}, atClient), 'FORBIDDEN');
    expectCode(await block(kari, { userKeyId: fiken.userKey.id }, kit.world.bakeri.id), 'FORBIDDEN');
    expectCode(await block(fiken.token, { userKeyId: power.userKey.id }, kit.world.bakeri.id), 'FORBIDDEN');
    // at home the office has no accounting office of its own to block
    expect(await panel(kari)).toEqual([]);
    expectNotFound(await block(kari, { userKeyId: fiken.userKey.id }));
    expect(await canRead(fiken.token, kit.world.bakeri.id)).toEqual([]);
  });

  test('R33: a plain employee of the client cannot read or set blocks', async () => {
    await kit.app.seed.employee(kit.world.bakeri, {
      name: 'Vanlig Ansatt',
      email: 'vanlig@bakeri.example',
      password: PASSWORD,
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
    });
    const plain = await kit.app.api.login('vanlig@bakeri.example');
    expectCode(await kit.app.api.request(OFFICES, {}, { token: plain }), 'FORBIDDEN');
    expectCode(await block(plain, { userKeyId: fiken.userKey.id }), 'FORBIDDEN');
    expect(await canRead(fiken.token, kit.world.bakeri.id)).toEqual([]);
  });

  test('R33: a block names exactly one key, application or person', async () => {
    expectCode(await block(kit.token.bakeriAdmin, {}), 'BAD_USER_INPUT');
    expectCode(
      await block(kit.token.bakeriAdmin, { userKeyId: fiken.userKey.id, employeeId: kit.world.kari.id }),
      'BAD_USER_INPUT',
    );
    expect(await canRead(fiken.token, kit.world.bakeri.id)).toEqual([]);
  });
});
