import {
  ClientsDocument,
  createClient,
  ErrorCode,
  KeyAccessMode,
  NokkelError,
  typedDocument,
  type FetchLike,
  type NokkelClient,
} from '../../client-sdk/src';
import { startTestApp, type TestApp } from '../testkit/app';
import { testDatabaseKind } from '../testkit/database';
import { buildWorld, PASSWORD, type World } from '../testkit/world';

/**
 * The SDK against a live server: paginate() over real connections (request by request), the
 * server's own 429 with Retry-After, and an error code the SDK once missed. It is about the SDK,
 * not the database, so it runs on SQLite only.
 */
const describeOnSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

/** A fetch that records the variables of each request it sends. */
function recordingFetch(): { fetch: FetchLike; variables: Array<Record<string, unknown>> } {
  const variables: Array<Record<string, unknown>> = [];
  const fetch: FetchLike = (url, { method, headers, body }) => {
    variables.push((JSON.parse(body) as { variables: Record<string, unknown> }).variables);
    return globalThis.fetch(url, { method, headers, body });
  };
  return { fetch, variables };
}

describeOnSqlite('the SDK against a live server', () => {
  let app: TestApp;
  let world: World;
  let url: string;

  async function kari(fetch?: FetchLike): Promise<NokkelClient> {
    const api = createClient({ url, ...(fetch ? { fetch } : {}) });
    const { login } = await api.login({ email: world.kari.email ?? '', password: PASSWORD });
    return api.withToken(login.token);
  }

  beforeAll(async () => {
    app = await startTestApp();
    world = await buildWorld(app.seed);
    url = `${app.url}/graphql`;
    for (const [i, name] of ['Alfa Bygg AS', 'Kaffe Kompaniet AS', 'Zeta Data AS'].entries())
      await app.seed.clientRelation(world.office, await app.seed.company({ name, orgNumber: `94000000${i}` }));
  });

  afterAll(() => app?.close());

  test("paginate() pages through all of the office's clients, one request per page, each after the last endCursor", async () => {
    const { fetch, variables } = recordingFetch();
    const client = await kari(fetch);
    variables.length = 0;
    const names: string[] = [];
    for await (const each of client.paginate(ClientsDocument, {}, { pageSize: 2 })) names.push(each.company.name);
    expect(names).toEqual(['Alfa Bygg AS', 'Bakeri Hansen AS', 'Fjord Fisk AS', 'Kaffe Kompaniet AS', 'Zeta Data AS']);
    expect(variables).toHaveLength(3);
    expect(variables[0]).toEqual({ first: 2 });
    expect(variables[1]).toEqual({ first: 2, after: expect.any(String) });
    expect(variables[2]).toEqual({ first: 2, after: expect.any(String) });
    expect(variables[2]?.after).not.toBe(variables[1]?.after);
  });

  test('paginate() follows a nested connection of a document of your own (a key’s client links)', async () => {
    const client = await kari();
    const { applications } = await client.applications({ search: 'Fiken Sync' });
    const fiken = applications.edges[0]?.node;
    if (!fiken) throw new Error('no Fiken Sync');
    const { createUserKey } = await client.createUserKey({
      input: {
        employeeId: world.kari.id,
        applicationId: fiken.id,
        name: 'Paged links',
        accessMode: KeyAccessMode.COPY_EMPLOYEE,
        accountantKey: true,
      },
    });
    await client.bulkLinkClients({
      input: {
        clientIds: [world.bakeri.id, world.fjordFisk.id],
        userKeyId: createUserKey.userKey.id,
        accessTemplateId: world.bokforing.id,
      },
    });
    const KeyLinks = typedDocument<
      {
        userKey: {
          clients: {
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            edges: Array<{ node: { client: { name: string } } }>;
          };
        };
      },
      { id: string; first?: number | null; after?: string | null }
    >(`
      query keyLinks($id: ID!, $first: Int, $after: String) {
        userKey(id: $id) {
          clients(first: $first, after: $after) {
            pageInfo { hasNextPage endCursor }
            edges { node { client { name } } }
          }
        }
      }
    `);
    const linked: string[] = [];
    for await (const link of client.paginate(KeyLinks, { id: createUserKey.userKey.id }, { pageSize: 1 }))
      linked.push(link.client.name);
    expect(linked.sort()).toEqual(['Bakeri Hansen AS', 'Fjord Fisk AS']);
  });

  test('a document the server cannot parse (over the token limit) is GRAPHQL_PARSE_FAILED in ErrorCode', async () => {
    const client = await kari();
    const huge = typedDocument<unknown, Record<string, never>>(
      `query huge { viewer { ${'effectivePermissions '.repeat(1200)} } }`,
    );
    const error = await client.request(huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NokkelError);
    expect((error as NokkelError).code).toBe(ErrorCode.GRAPHQL_PARSE_FAILED);
  });

  describe("the server's own 429", () => {
    let limitedApp: TestApp;

    beforeAll(async () => {
      limitedApp = await startTestApp({
        rateLimits: {
          requestsPerMinute: 2,
          costPerMinute: 1_000_000,
          loginsPerEmail: 100,
          loginsPerAccount: 100,
          loginsPerIp: 100,
          prefix: `sdk-live-${process.pid}`,
        },
      });
    });

    afterAll(() => limitedApp?.close());

    test('the SDK waits the Retry-After the server sends, and gives up after maxAttempts with the 429', async () => {
      const slept: number[] = [];
      const retryAfterHeaders: Array<string | null> = [];
      const client = createClient({
        url: `${limitedApp.url}/graphql`,
        fetch: async (url, { method, headers, body }) => {
          const response = await globalThis.fetch(url, { method, headers, body });
          retryAfterHeaders.push(response.headers.get('retry-after'));
          return response;
        },
        retry: { maxAttempts: 2, maxDelayMs: 60_000, sleep: async (ms) => void slept.push(ms) },
      });
      await client.permissions();
      await client.permissions();
      const error = (await client.permissions().catch((e: unknown) => e)) as NokkelError;
      expect(error).toBeInstanceOf(NokkelError);
      expect(error.code).toBe(ErrorCode.RATE_LIMITED);
      expect(error.status).toBe(429);
      expect(error.retryAfter).toBeGreaterThanOrEqual(1);
      expect(error.retryAfter).toBeLessThanOrEqual(60);
      expect(error.extensions.retryAfter).toBe(error.retryAfter);
      // two answers, two refusals: both with the header
      expect(retryAfterHeaders.slice(2)).toEqual([expect.stringMatching(/^\d+$/), String(error.retryAfter)]);
      // one wait, as long as the first refusal asked (the fake sleep does not wait, so the retry is refused too)
      expect(slept).toEqual([Number(retryAfterHeaders[2]) * 1000]);
    });
  });
});
