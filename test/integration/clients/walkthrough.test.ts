import { BULK_LINK, CREATE_TEMPLATE, LINK_ONE, SET_API_ACCESS, VIEWER, switchApiAccess } from './helpers';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

/**
 * The help article (seed/api-tilgang.no.txt), sections 4–6, step by step on the demo world:
 * link an accountant key to clients in both ways, use it from the integration, and switch the
 * client's API access on from inside the client.
 */

const kit = useWorld({ sessions: ['kari'] });

const CREATE_KEY = `mutation ($input: CreateUserKeyInput!) {
  createUserKey(input: $input) { token userKey { id kind applicationName name } }
}`;

interface ClientRow {
  company: { id: string; name: string };
  apiAccess: boolean;
  accountant: { id: string } | null;
  links: { edges: { node: { userKey: { id: string; applicationName: string } | null; template: { name: string } } }[] };
}

async function clientList(): Promise<ClientRow[]> {
  const res = await kit.app.api.request(
    `{ clients(first: 20) { edges { node {
      company { id name } apiAccess accountant { id }
      links(first: 10) { edges { node { userKey { id applicationName } template { name } } } }
    } } } }`,
    {},
    { token: kit.token.kari },
  );
  return expectOk(res).clients.edges.map((e: { node: ClientRow }) => e.node);
}

/** An accountant key on Kari for a catalog application, created through the API as the walkthrough does. */
async function createAccountantKey(
  applicationId: string,
  name: string,
  accessMode: 'ALL_ACCESS' | 'COPY_EMPLOYEE',
): Promise<{ id: string; token: string }> {
  const input = { employeeId: kit.world.kari.id, applicationId, name, accessMode, accountantKey: true };
  const { createUserKey } = expectOk(await kit.app.api.request(CREATE_KEY, { input }, { token: kit.token.kari }));
  return { id: createUserKey.userKey.id, token: createUserKey.token };
}

describe('the article, sections 4–6', () => {
  let fikenKey: { id: string; token: string };
  let powerOfficeKey: { id: string; token: string };

  test('R16: section 4, way 1 — mark several clients and give the key client access under a template', async () => {
    // "Regnskapskontorets brukernøkkel" for Fiken Sync, on Kari, with all her access
    fikenKey = await createAccountantKey(kit.world.apps.fiken.id, 'Fiken for klientene', 'ALL_ACCESS');
    // not linked yet: the key works nowhere
    expectCode(
      await kit.app.api.request(VIEWER, {}, { token: fikenKey.token, companyId: kit.world.bakeri.id }),
      'FORBIDDEN',
    );

    // "Kunde > Kunde/leverandør", mark the wanted clients, "Klienttilgang"
    const marked = (await clientList())
      .filter((c) => ['Bakeri Hansen AS', 'Fjord Fisk AS'].includes(c.company.name))
      .map((c) => c.company.id);
    expect(marked.sort()).toEqual([kit.world.bakeri.id, kit.world.fjordFisk.id].sort());
    // "Ansatt": the application's key; "Tilgangsmal": Bokføring
    const linked = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: marked, userKeyId: fikenKey.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    expect(linked.errors).toEqual([]);
    expect(linked.data.bulkLinkClients.linkedCount).toBe(2);

    // section 5: the integration logs in with the key and works in each client, within the template
    for (const client of [kit.world.bakeri, kit.world.fjordFisk]) {
      const at = await kit.app.api.request(VIEWER, {}, { token: fikenKey.token, companyId: client.id });
      expect(at.errors).toEqual([]);
      expect(at.data.viewer.company.name).toBe(client.name);
      expect(at.data.viewer.effectivePermissions).toEqual(kit.world.bokforing.permissions);
    }
    const posted = await kit.app.api.request(
      'mutation { createCustomer(input: { name: "Ny kunde fra Fiken AS" }) { name } }',
      {},
      { token: fikenKey.token, companyId: kit.world.fjordFisk.id },
    );
    expect(posted.errors).toEqual([]);
    // never in the office's own books
    expectCode(await kit.app.api.request(VIEWER, {}, { token: fikenKey.token }), 'FORBIDDEN');
  });

  test('R16: section 4, way 2 — one client: "Klient > Tilganger", "API-nøkkel", add the key named after the API', async () => {
    powerOfficeKey = await createAccountantKey(
      kit.world.apps.powerOffice.id,
      'PowerOffice hos bakeriet',
      'COPY_EMPLOYEE',
    );

    // the key is picked by its application's name from the office's accountant keys
    const keys = await kit.app.api.request(
      '{ userKeys(filter: { kind: ACCOUNTANT }, first: 100) { edges { node { id applicationName } } } }',
      {},
      { token: kit.token.kari },
    );
    const picked = expectOk(keys)
      .userKeys.edges.map((e: { node: { id: string; applicationName: string } }) => e.node)
      .find((k: { applicationName: string }) => k.applicationName === 'PowerOffice Bridge');
    expect(picked.id).toBe(powerOfficeKey.id);
    const linked = await kit.app.api.request(
      LINK_ONE,
      { input: { clientId: kit.world.bakeri.id, userKeyId: picked.id, accessTemplateId: kit.world.kunLese.id } },
      { token: kit.token.kari },
    );
    expect(linked.errors).toEqual([]);
    expect(linked.data.linkClient.template.name).toBe('Kun lese');

    const at = await kit.app.api.request(VIEWER, {}, { token: powerOfficeKey.token, companyId: kit.world.bakeri.id });
    expect(at.data.viewer.effectivePermissions).toEqual(kit.world.kunLese.permissions);
    expectCode(
      await kit.app.api.request(VIEWER, {}, { token: powerOfficeKey.token, companyId: kit.world.fjordFisk.id }),
      'FORBIDDEN',
    );

    // the client's access list shows both keys with their templates
    const bakeri = (await clientList()).find((c) => c.company.id === kit.world.bakeri.id)!;
    expect(bakeri.links.edges.map((e) => [e.node.userKey?.applicationName, e.node.template.name]).sort()).toEqual([
      ['Fiken Sync', 'Bokføring'],
      ['PowerOffice Bridge', 'Kun lese'],
    ]);
  });

  test('R18: section 6 — API access is on by default, and the client switches it on inside its own company', async () => {
    // "API-tilgang skal som standard være på ved opprettelse av klienttilgang"
    const added = await kit.app.api.request(
      'mutation { addClient(input: { name: "Ny Klient AS", orgNumber: "910000009" }) { apiAccess company { id } } }',
      {},
      { token: kit.token.kari },
    );
    expect(added.data.addClient.apiAccess).toBe(true);
    expectOk(
      await kit.app.api.request(
        LINK_ONE,
        {
          input: {
            clientId: added.data.addClient.company.id,
            userKeyId: fikenKey.id,
            accessTemplateId: kit.world.kunLese.id,
          },
        },
        { token: kit.token.kari },
      ),
    );
    expect(
      (await kit.app.api.request(VIEWER, {}, { token: fikenKey.token, companyId: added.data.addClient.company.id }))
        .errors,
    ).toEqual([]);

    // the bakery has turned its accountant's API access off: the office's keys stop there
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    await switchApiAccess(kit.app, bakeriAdmin, kit.world.office.id, false);
    for (const key of [fikenKey, powerOfficeKey]) {
      const refused = await kit.app.api.request(VIEWER, {}, { token: key.token, companyId: kit.world.bakeri.id });
      expectCode(refused, 'CLIENT_API_ACCESS_DISABLED');
    }
    expect(
      (await kit.app.api.request(VIEWER, {}, { token: fikenKey.token, companyId: kit.world.fjordFisk.id })).errors,
    ).toEqual([]);

    // Kari acts at the bakery with a client link, but the switch is the bakery's own (R18, R22):
    // no template can carry ACCOUNT_ADMIN there, and acting through a link she cannot switch it
    const refusedTemplate = await kit.app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Regnskapsfører', permissions: ['ACCOUNT_ADMIN', 'CUSTOMER_READ', 'INVOICE_READ'] } },
      { token: kit.token.kari },
    );
    expectCode(refusedTemplate, 'BAD_USER_INPUT');
    expectOk(
      await kit.app.api.request(
        LINK_ONE,
        {
          input: {
            clientId: kit.world.bakeri.id,
            employeeId: kit.world.kari.id,
            accessTemplateId: kit.world.kunLese.id,
          },
        },
        { token: kit.token.kari },
      ),
    );
    // 1. the company switcher: choose the client
    const inside = await kit.app.api.request(VIEWER, {}, { token: kit.token.kari, companyId: kit.world.bakeri.id });
    expect(inside.data.viewer).toMatchObject({ company: { id: kit.world.bakeri.id }, actingAtClient: true });
    const fromTheOffice = await kit.app.api.request(
      SET_API_ACCESS,
      { input: { accountingOfficeId: kit.world.office.id, enabled: true } },
      { token: kit.token.kari, companyId: kit.world.bakeri.id },
    );
    expectCode(fromTheOffice, 'FORBIDDEN');
    // 2–4. "Selskap > Regnskapsfører": the bakery's administrator picks the accountant, ticks "API-tilgang", saves
    const saved = await kit.app.api.request(
      SET_API_ACCESS,
      { input: { accountingOfficeId: kit.world.office.id, accountantEmployeeId: kit.world.kari.id, enabled: true } },
      { token: bakeriAdmin },
    );
    expect(saved.errors).toEqual([]);
    expect(saved.data.setAccountantApiAccess).toMatchObject({
      apiAccess: true,
      company: { id: kit.world.bakeri.id },
      office: { id: kit.world.office.id },
      accountant: { id: kit.world.kari.id, name: 'Kari Nordmann' },
    });

    // the keys work at the bakery again, each under its own template
    const fiken = await kit.app.api.request(VIEWER, {}, { token: fikenKey.token, companyId: kit.world.bakeri.id });
    expect(fiken.data.viewer.effectivePermissions).toEqual(kit.world.bokforing.permissions);
    const powerOffice = await kit.app.api.request(
      VIEWER,
      {},
      { token: powerOfficeKey.token, companyId: kit.world.bakeri.id },
    );
    expect(powerOffice.data.viewer.effectivePermissions).toEqual(kit.world.kunLese.permissions);
    const bakeri = (await clientList()).find((c) => c.company.id === kit.world.bakeri.id)!;
    expect(bakeri).toMatchObject({ apiAccess: true, accountant: { id: kit.world.kari.id } });
  });
});
