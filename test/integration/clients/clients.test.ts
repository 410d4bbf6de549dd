import { Permission } from '../../../server/src/auth/permission';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import { BULK_LINK, accountantKey } from './helpers';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ sessions: ['kari', 'per'] });

const ADD_CLIENT = `mutation ($input: AddClientInput!) {
  addClient(input: $input) {
    apiAccess accountant { id }
    company { id name orgNumber kind integrationsActive }
    office { id }
    links { totalCount }
  }
}`;

const CLIENTS = `query ($search: String, $apiAccess: Boolean, $first: Int, $after: String) {
  clients(search: $search, apiAccess: $apiAccess, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { apiAccess company { id name orgNumber } accountant { id name } } }
  }
}`;

interface ClientNode {
  apiAccess: boolean;
  company: { id: string; name: string; orgNumber: string | null };
  accountant: { id: string; name: string } | null;
}

interface ClientsPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: ClientNode }[];
}

interface LinkPage<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: N }[];
}

async function clients(token: string, variables: Record<string, unknown>): Promise<ClientsPage> {
  return expectOk(await kit.app.api.request<{ clients: ClientsPage }>(CLIENTS, variables, { token })).clients;
}

describe('addClient', () => {
  test('R18: addClient creates the client company and its relation to the office, with API access on by default', async () => {
    const res = await kit.app.api.request(
      ADD_CLIENT,
      { input: { name: ' Snekker Berg AS ', orgNumber: '930000001' } },
      { token: kit.token.per },
    );
    expect(res.errors).toEqual([]);
    const client = res.data.addClient;
    expect(client).toMatchObject({
      apiAccess: true,
      accountant: null,
      company: {
        name: 'Snekker Berg AS',
        orgNumber: '930000001',
        kind: 'REGULAR',
        integrationsActive: false,
      },
      office: { id: kit.world.office.id },
      links: { totalCount: 0 },
    });
    const rows: { office_id: string; api_access: number | boolean }[] = await kit.app.server.db.manager.query(
      'SELECT office_id, api_access FROM client_relation WHERE client_id = ?',
      [client.company.id],
    );
    expect(rows.map((r) => ({ office: r.office_id, apiAccess: Boolean(r.api_access) }))).toEqual([
      { office: kit.world.office.id, apiAccess: true },
    ]);
    const listed = await clients(kit.token.kari, { search: 'Snekker' });
    expect(listed.edges.map((e) => e.node)).toEqual([
      {
        apiAccess: true,
        company: { id: client.company.id, name: 'Snekker Berg AS', orgNumber: '930000001' },
        accountant: null,
      },
    ]);
  });

  test('addClient checks its input: name 1–200 characters, org number 9 digits and not taken', async () => {
    for (const input of [{ name: '' }, { name: 'x'.repeat(201) }, { name: 'Ok AS', orgNumber: '12345' }]) {
      const res = await kit.app.api.request(ADD_CLIENT, { input }, { token: kit.token.kari });
      expectCode(res, 'BAD_USER_INPUT');
    }
    const taken = await kit.app.api.request(
      ADD_CLIENT,
      { input: { name: 'Kopi av bakeriet', orgNumber: kit.world.bakeri.orgNumber } },
      { token: kit.token.kari },
    );
    expectCode(taken, 'CONFLICT');
    expect((await clients(kit.token.kari, { search: 'Kopi av' })).totalCount).toBe(0);
  });

  test('addClient needs CLIENT_ADMIN in an accounting office', async () => {
    const ola = await kit.app.api.login('ola@regnskap.example');
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    for (const token of [ola, bakeriAdmin]) {
      const res = await kit.app.api.request(ADD_CLIENT, { input: { name: 'Ikke lov AS' } }, { token });
      expectCode(res, 'FORBIDDEN');
    }
    expect((await clients(kit.token.kari, { search: 'Ikke lov' })).totalCount).toBe(0);
  });
});

describe('clients(search, apiAccess, first, after)', () => {
  let walkClients: Company[];

  beforeAll(async () => {
    // 23 clients, some with equal names (and names a case- and accent-insensitive collation finds
    // equal), so the walk must break ties by id
    const names = ['Vandring Åsen AS', 'Vandring Asen AS', 'vandring asen AS', 'Vandring Øst AS', 'Vandring Ost AS'];
    walkClients = [];
    for (let i = 0; i < 23; i++) {
      const name = i < names.length ? names[i] : `Vandring ${String(i % 8).padStart(2, '0')} AS`;
      const company = await kit.app.seed.company({ name });
      await kit.app.seed.clientRelation(kit.world.office, company, { apiAccess: i % 3 !== 0 });
      walkClients.push(company);
    }
  });

  test('a keyset walk with first: 4 visits every client once, by name then id, with no duplicates or gaps', async () => {
    const seen: ClientNode[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: ClientsPage = await clients(kit.token.kari, { search: 'Vandring', first: 4, after });
      expect(page.totalCount).toBe(walkClients.length);
      expect(page.edges.length).toBeLessThanOrEqual(4);
      seen.push(...page.edges.map((e) => e.node));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(walkClients.length / 4));
    const seenIds = seen.map((n) => n.company.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    expect([...seenIds].sort()).toEqual(walkClients.map((c) => c.id).sort());
    // the walk sees the same order as one big page (the database's collation decides it)
    const whole = await clients(kit.token.kari, { search: 'Vandring', first: 100 });
    expect(seenIds).toEqual(whole.edges.map((e) => e.node.company.id));
    // ties on the name are broken by id
    const plain = whole.edges.map((e) => e.node.company).filter((c) => /^Vandring \d\d AS$/.test(c.name));
    for (let i = 1; i < plain.length; i++) {
      if (plain[i].name === plain[i - 1].name) expect(plain[i].id > plain[i - 1].id).toBe(true);
      else expect(plain[i].name > plain[i - 1].name).toBe(true);
    }
  });

  test('apiAccess filters on the client’s switch, together with search', async () => {
    const on = await clients(kit.token.kari, { search: 'Vandring', apiAccess: true, first: 100 });
    const off = await clients(kit.token.kari, { search: 'Vandring', apiAccess: false, first: 100 });
    expect(on.edges.every((e) => e.node.apiAccess)).toBe(true);
    expect(off.edges.every((e) => !e.node.apiAccess)).toBe(true);
    const expectedOff = walkClients.filter((_, i) => i % 3 === 0).map((c) => c.id);
    expect(off.edges.map((e) => e.node.company.id).sort()).toEqual([...expectedOff].sort());
    expect(on.totalCount + off.totalCount).toBe(walkClients.length);
    expect(off.totalCount).toBe(expectedOff.length);
  });

  test('search matches the name case-insensitively or the org number, and treats % and _ literally', async () => {
    const byName = await clients(kit.token.kari, { search: 'bakeri' });
    expect(byName.edges.map((e) => e.node.company.id)).toEqual([kit.world.bakeri.id]);
    const byOrg = await clients(kit.token.kari, { search: kit.world.fjordFisk.orgNumber });
    expect(byOrg.edges.map((e) => e.node.company.id)).toEqual([kit.world.fjordFisk.id]);
    expect((await clients(kit.token.kari, { search: '%' })).totalCount).toBe(0);
    expect((await clients(kit.token.kari, { search: '_' })).totalCount).toBe(0);
  });

  test('an office sees only its own clients; another office’s client never appears', async () => {
    const all: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ClientsPage = await clients(kit.token.kari, { first: 100, after });
      all.push(...page.edges.map((e) => e.node.company.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(all).toEqual(expect.arrayContaining([kit.world.bakeri.id, kit.world.fjordFisk.id]));
    expect(all).not.toContain(kit.world.other.client.id);
    expect((await clients(kit.token.kari, { search: kit.world.other.client.name })).totalCount).toBe(0);
  });

  test('first outside 1–100 or a cursor of another list is BAD_USER_INPUT', async () => {
    for (const variables of [{ first: 0 }, { first: 101 }, { after: 'not-a-cursor' }]) {
      expectCode(await kit.app.api.request(CLIENTS, variables, { token: kit.token.kari }), 'BAD_USER_INPUT');
    }
  });

  test('clients needs CLIENT_ADMIN in an accounting office', async () => {
    const ola = await kit.app.api.login('ola@regnskap.example');
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    expectCode(await kit.app.api.request(CLIENTS, {}, { token: ola }), 'FORBIDDEN');
    expectCode(await kit.app.api.request(CLIENTS, {}, { token: bakeriAdmin }), 'FORBIDDEN');
  });
});

describe('Client.links and UserKey.clients', () => {
  let linkClient: Company;

  beforeAll(async () => {
    linkClient = await kit.app.seed.company({ name: 'Lenkeklient AS' });
    await kit.app.seed.clientRelation(kit.world.office, linkClient, { accountant: kit.world.per });
  });

  test('each client lists its API switch, responsible accountant and the keys and employees linked to it', async () => {
    const keyA = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ], 'Nøkkel A');
    const keyB = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.INVOICE_READ], 'Nøkkel B');
    for (const input of [
      { userKeyId: keyA.userKey.id, accessTemplateId: kit.world.bokforing.id },
      { userKeyId: keyB.userKey.id, accessTemplateId: kit.world.kunLese.id },
      { employeeId: kit.world.ola.id, accessTemplateId: kit.world.kunLese.id },
    ]) {
      expectOk(
        await kit.app.api.request(
          BULK_LINK,
          { input: { clientIds: [linkClient.id], ...input } },
          { token: kit.token.kari },
        ),
      );
    }
    const res = await kit.app.api.request(
      `query ($s: String) { clients(search: $s) { edges { node {
         apiAccess accountant { id name }
         links(first: 10) { totalCount edges { node { client { id } template { name } userKey { id name kind } employee { id name } } } }
       } } } }`,
      { s: 'Lenkeklient' },
      { token: kit.token.kari },
    );
    expect(res.errors).toEqual([]);
    const [node] = res.data.clients.edges.map((e: { node: unknown }) => e.node);
    expect(node.apiAccess).toBe(true);
    expect(node.accountant).toEqual({ id: kit.world.per.id, name: 'Per Berg' });
    expect(node.links.totalCount).toBe(3);
    const links = node.links.edges.map(
      (e: {
        node: {
          client: { id: string };
          template: { name: string };
          userKey: { id: string; name: string; kind: string } | null;
          employee: { id: string; name: string } | null;
        };
      }) => e.node,
    );
    expect(links.every((l: { client: { id: string } }) => l.client.id === linkClient.id)).toBe(true);
    expect(links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          template: { name: 'Bokføring' },
          userKey: { id: keyA.userKey.id, name: 'Nøkkel A', kind: 'ACCOUNTANT' },
          employee: null,
        }),
        expect.objectContaining({
          template: { name: 'Kun lese' },
          userKey: { id: keyB.userKey.id, name: 'Nøkkel B', kind: 'ACCOUNTANT' },
          employee: null,
        }),
        expect.objectContaining({
          template: { name: 'Kun lese' },
          userKey: null,
          employee: { id: kit.world.ola.id, name: 'Ola Hansen' },
        }),
      ]),
    );
  });

  test('a page of clients with their links, keys, owners and templates costs the same SQL for 3 clients as for 12', async () => {
    const q = `query ($first: Int) { clients(search: "Batch", first: $first) { totalCount edges { node {
      company { name } accountant { name }
      links(first: 5) { totalCount edges { node { template { name } employee { name } userKey { name applicationName owner { name } } } } }
    } } } }`;
    const { userKey } = await accountantKey(
      kit.app,
      kit.world,
      kit.world.kari,
      [Permission.CUSTOMER_READ],
      'Batch-nøkkel',
    );
    for (let i = 0; i < 12; i++) {
      const client = await kit.app.seed.company({ name: `Batch ${String(i).padStart(2, '0')} AS` });
      await kit.app.seed.clientRelation(kit.world.office, client, {
        accountant: i % 2 ? kit.world.per : kit.world.kari,
      });
      await kit.app.seed.clientLink(kit.world.office, client, userKey, i % 2 ? kit.world.kunLese : kit.world.bokforing);
      await kit.app.seed.clientLink(kit.world.office, client, kit.world.ola, kit.world.kunLese);
    }
    const few = await kit.app.api.request(q, { first: 3 }, { token: kit.token.kari });
    const many = await kit.app.api.request(q, { first: 12 }, { token: kit.token.kari });
    expect(few.errors).toEqual([]);
    expect(many.errors).toEqual([]);
    expect(many.data.clients.edges).toHaveLength(12);
    for (const e of many.data.clients.edges) {
      expect(e.node.links.totalCount).toBe(2);
      expect(
        e.node.links.edges
          .map((l: { node: { userKey: { owner: { name: string } } | null } }) => l.node.userKey?.owner.name ?? null)
          .sort(),
      ).toEqual(['Kari Nordmann', null].sort());
    }
    expect(many.statements).toBe(few.statements);
  });

  test('Client.links pages with first/after without duplicates or gaps', async () => {
    const client = await kit.app.seed.company({ name: 'Mange lenker AS' });
    await kit.app.seed.clientRelation(kit.world.office, client);
    const granteeIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { userKey } = await accountantKey(
        kit.app,
        kit.world,
        kit.world.kari,
        [Permission.CUSTOMER_READ],
        `Lenke ${i}`,
      );
      await kit.app.seed.clientLink(kit.world.office, client, userKey, kit.world.kunLese);
      granteeIds.push(userKey.id);
    }
    const q = `query ($s: String, $after: String) { clients(search: $s) { edges { node {
      links(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { userKey { id } } } }
    } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await kit.app.api.request<{
        clients: { edges: { node: { links: LinkPage<{ userKey: { id: string } }> } }[] };
      }>(q, { s: 'Mange lenker', after }, { token: kit.token.kari });
      expect(res.errors).toEqual([]);
      const links: LinkPage<{ userKey: { id: string } }> = expectOk(res).clients.edges[0].node.links;
      expect(links.totalCount).toBe(5);
      seen.push(...links.edges.map((e) => e.node.userKey.id));
      if (!links.pageInfo.hasNextPage) break;
      after = links.pageInfo.endCursor;
    }
    expect(seen).toEqual([...granteeIds].sort());
  });

  test('UserKey.clients pages through a key’s linked clients with their templates', async () => {
    const { userKey } = await accountantKey(
      kit.app,
      kit.world,
      kit.world.kari,
      [Permission.CUSTOMER_READ],
      'Mange klienter',
    );
    const linked: Company[] = [];
    for (let i = 0; i < 7; i++) {
      const client = await kit.app.seed.company({ name: `Nøkkelklient ${i} AS` });
      await kit.app.seed.clientRelation(kit.world.office, client);
      linked.push(client);
    }
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        {
          input: { clientIds: linked.map((c) => c.id), userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id },
        },
        { token: kit.token.kari },
      ),
    );
    const q = `query ($id: ID!, $after: String) { userKey(id: $id) {
      clients(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { client { id } template { name } userKey { id } } } }
    } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      type Node = { client: { id: string }; template: { name: string }; userKey: { id: string } };
      const res = await kit.app.api.request<{ userKey: { clients: LinkPage<Node> } }>(
        q,
        { id: userKey.id, after },
        { token: kit.token.kari },
      );
      expect(res.errors).toEqual([]);
      const page: LinkPage<Node> = expectOk(res).userKey.clients;
      expect(page.totalCount).toBe(7);
      for (const e of page.edges) {
        expect(e.node.template.name).toBe('Kun lese');
        expect(e.node.userKey.id).toBe(userKey.id);
        seen.push(e.node.client.id);
      }
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(linked.map((c) => c.id).sort());
  });

  test('a key’s client list is read in its own office; from another office the key is NOT_FOUND', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ], 'Skjult');
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.kunLese);
    const anne = await kit.app.api.login('anne@annet.example');
    const res = await kit.app.api.request(
      'query ($id: ID!) { userKey(id: $id) { clients { totalCount } } }',
      { id: userKey.id },
      { token: anne },
    );
    expectNotFound(res);
    expect(res.data).toBeNull();
  });
});
