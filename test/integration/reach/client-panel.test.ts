import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind, type UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { PASSWORD, buildWorld, type World } from '../../testkit/world';
import { CUSTOMERS, MY_REACH, OFFICES, SET_BLOCK, reachByClient, setBlock } from './helpers';

let app: TestApp;
let world: World;
let bakeriAdmin: string;
let fjordAdmin: string;
let fiken: { userKey: UserKey; token: string };
let power: { userKey: UserKey; token: string };
let perKey: { userKey: UserKey; token: string };
let perSession: string;
let otherOfficeKey: { userKey: UserKey; token: string };

const READ = [Permission.CUSTOMER_READ, Permission.INVOICE_READ];

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  bakeriAdmin = await app.api.login('admin@bakeri.example');
  fjordAdmin = await app.api.login('admin@fjordfisk.example');
  perSession = await app.api.login('per@regnskap.example');
  const accountant = (owner = world.kari, application = world.apps.fiken, name = 'Fiken') =>
    app.seed.userKey(owner, { kind: UserKeyKind.ACCOUNTANT, application, permissions: READ, name });
  fiken = await accountant();
  power = await accountant(world.kari, world.apps.powerOffice, 'PowerOffice');
  perKey = await accountant(world.per, world.apps.bankFeed, 'Pers bank');
  for (const client of [world.bakeri, world.fjordFisk]) {
    for (const grantee of [fiken.userKey, power.userKey, perKey.userKey, world.per]) {
      await app.seed.clientLink(world.office, client, grantee, world.kunLese);
    }
  }
  // a second office keeps Bakeri's books too, with a key of its own there
  await app.seed.clientRelation(world.other.office, world.bakeri);
  const template = await app.seed.accessTemplate(world.other.office, 'Annen mal', READ);
  otherOfficeKey = await app.seed.userKey(world.other.admin, {
    kind: UserKeyKind.ACCOUNTANT,
    application: world.apps.fiken,
    permissions: READ,
    name: 'Annen nøkkel',
  });
  await app.seed.clientLink(world.other.office, world.bakeri, otherOfficeKey.userKey, template);
  await app.seed.clientLink(world.other.office, world.other.client, otherOfficeKey.userKey, template);
});
afterAll(() => app.close());

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
  const res = await app.api.request(OFFICES, { first: 50 }, { token });
  expect(res.errors).toEqual([]);
  return res.data.company.accountingOffices;
}

const grantees = (office: OfficeNode) =>
  office.access.edges.map((e) => e.node.userKey?.id ?? `person:${e.node.employee.id}`).sort();

async function canRead(token: string, companyId: string): Promise<string[]> {
  return codes(await app.api.request(CUSTOMERS, {}, { token, companyId }));
}

describe('R33: the client’s panel', () => {
  test('R33: the client’s admin sees each office with exactly its keys and people linked here — no other client’s', async () => {
    const offices = await panel(bakeriAdmin);
    expect(offices.map((o) => o.office.id).sort()).toEqual([world.office.id, world.other.office.id].sort());
    const regnskap = offices.find((o) => o.office.id === world.office.id) as OfficeNode;
    expect(regnskap).toMatchObject({ office: { name: 'Regnskap AS' }, apiAccess: true, access: { totalCount: 4 } });
    expect(grantees(regnskap)).toEqual(
      [fiken.userKey.id, power.userKey.id, perKey.userKey.id, `person:${world.per.id}`].sort(),
    );
    const keyNode = regnskap.access.edges.find((e) => e.node.userKey?.id === fiken.userKey.id)?.node;
    expect(keyNode).toMatchObject({
      employee: { id: world.kari.id },
      application: { id: world.apps.fiken.id },
      effectivePermissions: READ,
      blockedByClient: false,
    });
    const other = offices.find((o) => o.office.id === world.other.office.id) as OfficeNode;
    expect(grantees(other)).toEqual([otherOfficeKey.userKey.id]);

    // Fjord Fisk sees only Regnskap AS, and only its links there
    const fjord = await panel(fjordAdmin);
    expect(fjord.map((o) => o.office.id)).toEqual([world.office.id]);
    expect(fjord[0].access.totalCount).toBe(4);
  });

  test('R33: blocking one application stops its keys at that client only; the office’s other keys keep working', async () => {
    await setBlock(app, bakeriAdmin, { officeId: world.office.id, applicationId: world.apps.fiken.id, blocked: true });
    expect(await canRead(fiken.token, world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    expect(await canRead(fiken.token, world.fjordFisk.id)).toEqual([]);
    expect(await canRead(power.token, world.bakeri.id)).toEqual([]);
    expect(await canRead(perKey.token, world.bakeri.id)).toEqual([]);
    // the other office's Fiken key is not this office's: untouched
    expect(await canRead(otherOfficeKey.token, world.bakeri.id)).toEqual([]);
    expect(
      reachByClient(await app.api.request(MY_REACH, {}, { token: fiken.token })).get(world.bakeri.id),
    ).toMatchObject({
      canAct: false,
      blockedReason: 'BLOCKED_BY_CLIENT',
    });
    const regnskap = (await panel(bakeriAdmin)).find((o) => o.office.id === world.office.id) as OfficeNode;
    const node = regnskap.access.edges.find((e) => e.node.userKey?.id === fiken.userKey.id)?.node;
    expect(node).toMatchObject({ blockedByClient: true, effectivePermissions: [] });

    await setBlock(app, bakeriAdmin, { officeId: world.office.id, applicationId: world.apps.fiken.id, blocked: false });
    expect(await canRead(fiken.token, world.bakeri.id)).toEqual([]);
  });

  test('R33: blocking one key stops that key only, on its next request', async () => {
    expect(await canRead(power.token, world.bakeri.id)).toEqual([]);
    await setBlock(app, bakeriAdmin, { officeId: world.office.id, userKeyId: power.userKey.id, blocked: true });
    expect(await canRead(power.token, world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    expect(await canRead(fiken.token, world.bakeri.id)).toEqual([]);
    await setBlock(app, bakeriAdmin, { officeId: world.office.id, userKeyId: power.userKey.id, blocked: false });
    expect(await canRead(power.token, world.bakeri.id)).toEqual([]);
  });

  test('R33: blocking a person blocks their session and every key they own there, and nowhere else', async () => {
    await setBlock(app, bakeriAdmin, { officeId: world.office.id, employeeId: world.per.id, blocked: true });
    expect(await canRead(perKey.token, world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    expect(await canRead(perSession, world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    expect(await canRead(perKey.token, world.fjordFisk.id)).toEqual([]);
    expect(await canRead(perSession, world.fjordFisk.id)).toEqual([]);
    expect(await canRead(fiken.token, world.bakeri.id)).toEqual([]);
    const regnskap = (await panel(bakeriAdmin)).find((o) => o.office.id === world.office.id) as OfficeNode;
    const blocked = regnskap.access.edges.filter((e) => e.node.blockedByClient).map((e) => e.node);
    expect(blocked.map((n) => n.userKey?.id ?? `person:${n.employee.id}`).sort()).toEqual(
      [perKey.userKey.id, `person:${world.per.id}`].sort(),
    );
    await setBlock(app, bakeriAdmin, { officeId: world.office.id, employeeId: world.per.id, blocked: false });
    expect(await canRead(perKey.token, world.bakeri.id)).toEqual([]);
  });

  test('R33: a block is audited in both books and announced to both as client.block_changed, in the same transaction', async () => {
    const db = app.server.db.manager;
    const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params))[0].n);
    const audits = () =>
      count("SELECT COUNT(*) AS n FROM audit_event WHERE action = 'client.setBlock' AND target_id = ?", [
        power.userKey.id,
      ]);
    const events = () =>
      count(
        "SELECT COUNT(*) AS n FROM access_event WHERE type = 'client.block_changed' AND company_id = ? AND counterpart_company_id = ? AND data LIKE ?",
        [world.fjordFisk.id, world.office.id, `%${power.userKey.id}%`],
      );
    const [a0, e0] = [await audits(), await events()];
    await setBlock(app, fjordAdmin, { officeId: world.office.id, userKeyId: power.userKey.id, blocked: true });
    // setting what already holds records nothing
    await setBlock(app, fjordAdmin, { officeId: world.office.id, userKeyId: power.userKey.id, blocked: true });
    expect((await audits()) - a0).toBe(2);
    expect((await events()) - e0).toBe(1);
    const rows: { company_id: string }[] = await db.query(
      "SELECT company_id FROM audit_event WHERE action = 'client.setBlock' AND target_id = ? ORDER BY company_id",
      [power.userKey.id],
    );
    // this key was blocked at Bakeri before: its entries are in Bakeri's and the office's books
    expect(new Set(rows.map((r) => r.company_id))).toEqual(
      new Set([world.fjordFisk.id, world.office.id, world.bakeri.id]),
    );
    // Fjord Fisk's block does not reach Bakeri
    expect(await canRead(power.token, world.bakeri.id)).toEqual([]);
    expect(await canRead(power.token, world.fjordFisk.id)).toEqual(['BLOCKED_BY_CLIENT']);
    await setBlock(app, fjordAdmin, { officeId: world.office.id, userKeyId: power.userKey.id, blocked: false });
  });
});

describe('R33: the same block at the same moment', () => {
  test('R33: ten identical blocks at once all succeed, and the block is recorded once', async () => {
    const db = app.server.db.manager;
    const count = async (sql: string) => Number((await db.query(sql, [perKey.userKey.id]))[0].n);
    const audits = () =>
      count("SELECT COUNT(*) AS n FROM audit_event WHERE action = 'client.setBlock' AND target_id = ?");
    const events = () =>
      count(
        "SELECT COUNT(*) AS n FROM access_event WHERE type = 'client.block_changed' AND data LIKE CONCAT('%', ?, '%')",
      );
    const [a0, e0] = [await audits(), await events()];
    const input = { officeId: world.office.id, userKeyId: perKey.userKey.id, blocked: true };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => app.api.request(SET_BLOCK, { input }, { token: bakeriAdmin })),
    );
    expect(results.map((r) => [codes(r), r.data?.setClientBlock])).toEqual(Array(10).fill([[], true]));
    expect((await audits()) - a0).toBe(2);
    expect((await events()) - e0).toBe(1);
    expect(await canRead(perKey.token, world.bakeri.id)).toEqual(['BLOCKED_BY_CLIENT']);
    const lifts = await Promise.all(
      Array.from({ length: 5 }, () =>
        app.api.request(SET_BLOCK, { input: { ...input, blocked: false } }, { token: bakeriAdmin }),
      ),
    );
    expect(lifts.map((r) => codes(r))).toEqual(Array(5).fill([]));
    expect((await audits()) - a0).toBe(4);
    expect(await canRead(perKey.token, world.bakeri.id)).toEqual([]);
  });
});

describe('R33: who may see and set a client’s blocks', () => {
  const block = (token: string, input: Record<string, unknown>, companyId?: string) =>
    app.api.request(SET_BLOCK, { input: { officeId: world.office.id, blocked: true, ...input } }, { token, companyId });

  test('R33: another client’s admin cannot touch this client: its own panel only, this office’s keys unknown to a stranger', async () => {
    const stranger = await app.api.login('admin@fremmed.example');
    // Fremmed Klient is not a client of Regnskap AS
    expect(codes(await block(stranger, { userKeyId: fiken.userKey.id }))).toEqual(['NOT_FOUND']);
    const own = await panel(stranger);
    expect(own.map((o) => o.office.id)).toEqual([world.other.office.id]);
    expect(grantees(own[0])).toEqual([otherOfficeKey.userKey.id]);
    // acting in Bakeri is refused to another client's admin
    expect(codes(await app.api.request(OFFICES, {}, { token: fjordAdmin, companyId: world.bakeri.id }))).toEqual([
      'FORBIDDEN',
    ]);
    // a key of another office cannot be blocked under this office
    expect(codes(await block(bakeriAdmin, { userKeyId: otherOfficeKey.userKey.id }))).toEqual(['NOT_FOUND']);
  });

  test('R33: the office cannot read or set its client’s blocks, at home or through its link', async () => {
    const kari = await app.api.login('kari@regnskap.example');
    const atClient = { token: kari, companyId: world.bakeri.id };
    await app.seed.clientLink(world.office, world.bakeri, world.kari, world.kunLese);
    expect(codes(await app.api.request(OFFICES, {}, atClient))).toEqual(['FORBIDDEN']);
    expect(codes(await block(kari, { userKeyId: fiken.userKey.id }, world.bakeri.id))).toEqual(['FORBIDDEN']);
    expect(codes(await block(fiken.token, { userKeyId: power.userKey.id }, world.bakeri.id))).toEqual(['FORBIDDEN']);
    // at home the office has no accounting office of its own to block
    expect(await panel(kari)).toEqual([]);
    expect(codes(await block(kari, { userKeyId: fiken.userKey.id }))).toEqual(['NOT_FOUND']);
    expect(await canRead(fiken.token, world.bakeri.id)).toEqual([]);
  });

  test('R33: a plain employee of the client cannot read or set blocks', async () => {
    await app.seed.employee(world.bakeri, {
      name: 'Vanlig Ansatt',
      email: 'vanlig@bakeri.example',
      password: PASSWORD,
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
    });
    const plain = await app.api.login('vanlig@bakeri.example');
    expect(codes(await app.api.request(OFFICES, {}, { token: plain }))).toEqual(['FORBIDDEN']);
    expect(codes(await block(plain, { userKeyId: fiken.userKey.id }))).toEqual(['FORBIDDEN']);
    expect(await canRead(fiken.token, world.bakeri.id)).toEqual([]);
  });

  test('R33: a block names exactly one key, application or person', async () => {
    expect(codes(await block(bakeriAdmin, {}))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await block(bakeriAdmin, { userKeyId: fiken.userKey.id, employeeId: world.kari.id }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await canRead(fiken.token, world.bakeri.id)).toEqual([]);
  });
});
