import { DEFAULT_QUERY_LIMITS } from '../../../server/src/http/cost/query-limits';
import { Permission } from '../../../server/src/auth/permission';
import { ClientRelation } from '../../../server/src/modules/clients/client-relation.entity';
import { Company, CompanyKind } from '../../../server/src/modules/companies/company.entity';
import { newId } from '../../../server/src/shared/ids';
import { codes } from '../../testkit/graphql-client';
import { UNLINK, VIEWER, accountantKey, auditCount } from './helpers';
import { useWorld } from '../../testkit/run';

const MANY = 5_000;
const FEW = 10;

/** Creates clients of the office with multi-row INSERTs (not one API call per client). */
async function bulkClients(prefix: string, n: number): Promise<string[]> {
  const now = new Date();
  const companies = Array.from({ length: n }, (_, i) => ({
    id: newId('company'),
    name: `${prefix} ${String(i).padStart(5, '0')} AS`,
    orgNumber: null,
    kind: CompanyKind.REGULAR,
    integrationsActivatedAt: null,
    integrationsActivatedById: null,
    integrationsTermsVersion: null,
    nextInvoiceNumber: 1,
    createdAt: now,
  }));
  const relations = companies.map((c) => ({
    id: newId('clientRelation'),
    officeId: kit.world.office.id,
    clientId: c.id,
    accountantEmployeeId: null,
    apiAccess: true,
    apiAccessChangedAt: null,
    createdAt: now,
  }));
  // through the server's own transaction (on SQLite it holds the gate): a bare
  // `manager.transaction` shares SQLite's one query runner with the server's background work
  // (event dispatch, sweeps), whose transaction could begin or end inside this one
  await kit.app.server.db.transaction(async (tx) => {
    for (let i = 0; i < n; i += 500) {
      await tx
        .createQueryBuilder()
        .insert()
        .into(Company)
        .values(companies.slice(i, i + 500))
        .execute();
      await tx
        .createQueryBuilder()
        .insert()
        .into(ClientRelation)
        .values(relations.slice(i, i + 500))
        .execute();
    }
  });
  return companies.map((c) => c.id);
}

const BULK_LINK_COUNT = `mutation ($input: BulkLinkClientsInput!) { bulkLinkClients(input: $input) { linkedCount } }`;

async function linkCount(granteeId: string): Promise<number> {
  const rows: { n: number | string }[] = await kit.app.server.db.manager.query(
    'SELECT COUNT(*) AS n FROM client_link WHERE grantee_id = ?',
    [granteeId],
  );
  return Number(rows[0].n);
}

let many: string[];
let few: string[];

const kit = useWorld({
  // reading 5,000 links back with their clients and templates costs about 16,000 points: over the
  // default per-query limit, which this test raises
  config: { queryLimits: { ...DEFAULT_QUERY_LIMITS, maxCost: 50_000 } },
  sessions: ['kari'],
  timeout: 120_000,
});
beforeAll(async () => {
  many = await bulkClients('Masse', MANY);
  few = await bulkClients('Få', FEW);
}, 120_000);

describe('set-based linking', () => {
  test('R16: bulkLinkClients links 5,000 clients with the same number of SQL statements as 10 clients', async () => {
    const small = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ], 'Liten');
    const large = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ], 'Stor');
    // the payload's links, with their clients and templates, are loaded in batches too
    const link = (clientIds: string[], userKeyId: string) =>
      kit.app.api.request(
        'mutation ($input: BulkLinkClientsInput!) { bulkLinkClients(input: $input) { linkedCount links { client { id name } template { name } } } }',
        { input: { clientIds, userKeyId, accessTemplateId: kit.world.kunLese.id } },
        { token: kit.token.kari },
      );

    const ten = await link(few, small.userKey.id);
    expect(ten.errors).toEqual([]);
    expect(ten.data.bulkLinkClients.linkedCount).toBe(FEW);

    const fiveThousand = await link(many, large.userKey.id);
    expect(fiveThousand.errors).toEqual([]);
    expect(fiveThousand.data.bulkLinkClients.linkedCount).toBe(MANY);
    expect(fiveThousand.data.bulkLinkClients.links.map((l: { client: { id: string } }) => l.client.id).sort()).toEqual(
      [...many].sort(),
    );

    expect(Number.isFinite(ten.statements)).toBe(true);
    expect(fiveThousand.statements).toBe(ten.statements);
    expect(await linkCount(large.userKey.id)).toBe(MANY);
    expect(await linkCount(small.userKey.id)).toBe(FEW);
    // one audit event per call, its clients listed beside it (R21)
    expect(await auditCount(kit.app, kit.world.office.id, 'clientLink.link')).toBe(2);
    const listed: { n: number | string }[] = await kit.app.server.db.manager.query(
      `SELECT COUNT(*) AS n FROM audit_event_client a JOIN audit_event e ON e.id = a.audit_event_id
       WHERE e.company_id = ? AND e.action = 'clientLink.link' AND e.target_id = ?`,
      [kit.world.office.id, large.userKey.id],
    );
    expect(Number(listed[0].n)).toBe(MANY);

    // a linked client at the end of the list works for the key
    const viewer = await kit.app.api.request(VIEWER, {}, { token: large.token, companyId: many[MANY - 1] });
    expect(viewer.data.viewer.company.id).toBe(many[MANY - 1]);

    // re-linking all 5,000 (template update) also costs the same, and leaves no duplicates
    const relinkSmall = await kit.app.api.request(
      BULK_LINK_COUNT,
      { input: { clientIds: few, userKeyId: small.userKey.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    const relinkLarge = await kit.app.api.request(
      BULK_LINK_COUNT,
      { input: { clientIds: many, userKeyId: large.userKey.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    expect(relinkLarge.errors).toEqual([]);
    expect(relinkLarge.statements).toBe(relinkSmall.statements);
    expect(await linkCount(large.userKey.id)).toBe(MANY);
    const templates: { template_id: string; n: number | string }[] = await kit.app.server.db.manager.query(
      'SELECT template_id, COUNT(*) AS n FROM client_link WHERE grantee_id = ? GROUP BY template_id',
      [large.userKey.id],
    );
    expect(templates.map((t) => ({ template: t.template_id, n: Number(t.n) }))).toEqual([
      { template: kit.world.bokforing.id, n: MANY },
    ]);

    // linking all 5,000 again under the same template changes nothing, and writes nothing to the log
    const audited = await auditCount(kit.app, kit.world.office.id, 'clientLink.link');
    const again = await kit.app.api.request(
      BULK_LINK_COUNT,
      { input: { clientIds: many, userKeyId: large.userKey.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    expect(again.errors).toEqual([]);
    expect(await auditCount(kit.app, kit.world.office.id, 'clientLink.link')).toBe(audited);
  });

  test('R16: a failing 5,000-client request is refused atomically with the same statement count as a failing 10-client one', async () => {
    const key = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ], 'Feiler');
    const fail = (clientIds: string[]) =>
      kit.app.api.request(
        BULK_LINK_COUNT,
        {
          input: {
            clientIds: [...clientIds, kit.world.other.client.id],
            userKeyId: key.userKey.id,
            accessTemplateId: kit.world.kunLese.id,
          },
        },
        { token: kit.token.kari },
      );
    const small = await fail(few);
    const large = await fail(many);
    expect(codes(large)).toHaveLength(1);
    expect(large.errors[0].extensions?.failures).toEqual([
      { clientId: kit.world.other.client.id, code: 'NOT_FOUND', message: expect.any(String) },
    ]);
    expect(large.statements).toBe(small.statements);
    expect(await linkCount(key.userKey.id)).toBe(0);
  });

  test('R16: unlinking 5,000 clients costs the same number of statements as unlinking 10', async () => {
    const small = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ], 'Avlenk liten');
    const large = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ], 'Avlenk stor');
    for (const [key, clientIds] of [
      [small, few],
      [large, many],
    ] as const) {
      const res = await kit.app.api.request(
        BULK_LINK_COUNT,
        { input: { clientIds, userKeyId: key.userKey.id, accessTemplateId: kit.world.kunLese.id } },
        { token: kit.token.kari },
      );
      expect(res.errors).toEqual([]);
    }
    const unlinkSmall = await kit.app.api.request(
      UNLINK,
      { input: { clientIds: few, userKeyId: small.userKey.id } },
      { token: kit.token.kari },
    );
    const unlinkLarge = await kit.app.api.request(
      UNLINK,
      { input: { clientIds: many, userKeyId: large.userKey.id } },
      { token: kit.token.kari },
    );
    expect(unlinkLarge.data.unlinkClients.unlinkedCount).toBe(MANY);
    expect(unlinkLarge.statements).toBe(unlinkSmall.statements);
    expect(await linkCount(large.userKey.id)).toBe(0);
  });
});
