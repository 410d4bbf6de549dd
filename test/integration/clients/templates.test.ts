import { Permission } from '../../../server/src/auth/permission';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import {
  BULK_LINK,
  CREATE_TEMPLATE,
  DELETE_TEMPLATE,
  TEMPLATES,
  UNLINK,
  UPDATE_TEMPLATE,
  VIEWER,
  accountantKey,
  ok,
} from './helpers';

let app: TestApp;
let world: World;
let kari: string;
let anne: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
  anne = await app.api.login('anne@annet.example');
});
afterAll(() => app.close());

interface TemplateView {
  id: string;
  name: string;
  permissions: string[];
}

async function templates(token: string): Promise<TemplateView[]> {
  return ok(await app.api.request<{ accessTemplates: TemplateView[] }>(TEMPLATES, {}, { token })).accessTemplates;
}

describe('access templates (tilgangsmaler)', () => {
  test('R19: an office creates, lists, renames, edits and deletes its own access templates', async () => {
    const created = await app.api.request(
      CREATE_TEMPLATE,
      { input: { name: '  Lønn  ', permissions: ['PAYROLL_READ', 'EMPLOYEE_READ'] } },
      { token: kari },
    );
    expect(created.errors).toEqual([]);
    const template = created.data.createAccessTemplate;
    expect(template).toMatchObject({ name: 'Lønn' });
    expect([...template.permissions].sort()).toEqual(['EMPLOYEE_READ', 'PAYROLL_READ']);
    expect((await templates(kari)).map((t) => t.name)).toEqual(['Bokføring', 'Kun lese', 'Lønn']);

    const renamed = await app.api.request(
      UPDATE_TEMPLATE,
      { id: template.id, input: { name: 'Lønn og personal' } },
      { token: kari },
    );
    expect(renamed.data.updateAccessTemplate.name).toBe('Lønn og personal');
    expect([...renamed.data.updateAccessTemplate.permissions].sort()).toEqual(['EMPLOYEE_READ', 'PAYROLL_READ']);

    const edited = await app.api.request(
      UPDATE_TEMPLATE,
      { id: template.id, input: { permissions: ['HOURS_READ_ALL'] } },
      { token: kari },
    );
    expect(edited.data.updateAccessTemplate).toEqual({
      id: template.id,
      name: 'Lønn og personal',
      permissions: ['HOURS_READ_ALL'],
    });
    expect((await templates(kari)).find((t) => t.id === template.id)?.permissions).toEqual(['HOURS_READ_ALL']);

    const deleted = await app.api.request(DELETE_TEMPLATE, { id: template.id }, { token: kari });
    expect(deleted.data).toEqual({ deleteAccessTemplate: true });
    expect((await templates(kari)).map((t) => t.id)).not.toContain(template.id);
  });

  test('R19: template names are unique within an office (CONFLICT), but two offices may use the same name', async () => {
    const duplicate = await app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Bokføring', permissions: ['LOGIN'] } },
      { token: kari },
    );
    expect(codes(duplicate)).toEqual(['CONFLICT']);
    const rename = await app.api.request(
      UPDATE_TEMPLATE,
      { id: world.kunLese.id, input: { name: 'Bokføring' } },
      { token: kari },
    );
    expect(codes(rename)).toEqual(['CONFLICT']);
    expect((await templates(kari)).filter((t) => t.name === 'Bokføring')).toHaveLength(1);
    expect((await templates(kari)).find((t) => t.id === world.kunLese.id)?.name).toBe('Kun lese');

    const otherOffice = await app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Bokføring', permissions: ['CUSTOMER_READ'] } },
      { token: anne },
    );
    expect(otherOffice.errors).toEqual([]);
    expect((await templates(anne)).map((t) => t.name)).toEqual(['Bokføring']);
  });

  test('R19: a template used by a client link cannot be deleted (CONFLICT) until the link is gone', async () => {
    const template = ok(
      await app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'I bruk', permissions: ['CUSTOMER_READ'] } },
        { token: kari },
      ),
    ).createAccessTemplate;
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    ok(
      await app.api.request(
        BULK_LINK,
        { input: { clientIds: [world.bakeri.id], userKeyId: userKey.id, accessTemplateId: template.id } },
        { token: kari },
      ),
    );

    const refused = await app.api.request(DELETE_TEMPLATE, { id: template.id }, { token: kari });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors[0].extensions?.linkCount).toBe(1);
    expect((await templates(kari)).map((t) => t.id)).toContain(template.id);

    ok(
      await app.api.request(
        UNLINK,
        { input: { clientIds: [world.bakeri.id], userKeyId: userKey.id } },
        { token: kari },
      ),
    );
    const deleted = await app.api.request(DELETE_TEMPLATE, { id: template.id }, { token: kari });
    expect(deleted.data).toEqual({ deleteAccessTemplate: true });
  });

  test('R19: editing a template changes a linked key’s effective permissions at the very next request', async () => {
    const template = ok(
      await app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'Skiftende', permissions: ['CUSTOMER_READ'] } },
        { token: kari },
      ),
    ).createAccessTemplate;
    const { userKey, token } = await accountantKey(app, world, world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
      Permission.INVOICE_READ,
    ]);
    ok(
      await app.api.request(
        BULK_LINK,
        { input: { clientIds: [world.fjordFisk.id], userKeyId: userKey.id, accessTemplateId: template.id } },
        { token: kari },
      ),
    );
    const atFjord = { token, companyId: world.fjordFisk.id };
    const createCustomer = 'mutation { createCustomer(input: { name: "Via mal AS" }) { name } }';

    const before = await app.api.request(VIEWER, {}, atFjord);
    expect(before.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ']);
    expect(codes(await app.api.request(createCustomer, {}, atFjord))).toEqual(['FORBIDDEN']);

    ok(
      await app.api.request(
        UPDATE_TEMPLATE,
        { id: template.id, input: { permissions: ['CUSTOMER_READ', 'CUSTOMER_WRITE', 'PAYROLL_READ'] } },
        { token: kari },
      ),
    );
    const widened = await app.api.request(VIEWER, {}, atFjord);
    // PAYROLL_READ is in the template but not in the key, so it stays out
    expect(widened.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'CUSTOMER_WRITE']);
    const created = await app.api.request(createCustomer, {}, atFjord);
    expect(created.errors).toEqual([]);
    expect(created.data.createCustomer.name).toBe('Via mal AS');

    ok(await app.api.request(UPDATE_TEMPLATE, { id: template.id, input: { permissions: [] } }, { token: kari }));
    expect((await app.api.request(VIEWER, {}, atFjord)).data.viewer.effectivePermissions).toEqual([]);
    expect(codes(await app.api.request('{ customers { totalCount } }', {}, atFjord))).toEqual(['FORBIDDEN']);
  });

  test('R19: editing a template changes a linked employee’s permissions at the client too', async () => {
    const template = ok(
      await app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'For ansatte', permissions: ['CUSTOMER_READ', 'INVOICE_READ'] } },
        { token: kari },
      ),
    ).createAccessTemplate;
    ok(
      await app.api.request(
        BULK_LINK,
        { input: { clientIds: [world.fjordFisk.id], employeeId: world.per.id, accessTemplateId: template.id } },
        { token: kari },
      ),
    );
    const per = await app.api.login('per@regnskap.example');
    const atFjord = { token: per, companyId: world.fjordFisk.id };
    expect((await app.api.request(VIEWER, {}, atFjord)).data.viewer.effectivePermissions).toEqual([
      'CUSTOMER_READ',
      'INVOICE_READ',
    ]);
    ok(
      await app.api.request(
        UPDATE_TEMPLATE,
        { id: template.id, input: { permissions: ['INVOICE_READ'] } },
        { token: kari },
      ),
    );
    expect((await app.api.request(VIEWER, {}, atFjord)).data.viewer.effectivePermissions).toEqual(['INVOICE_READ']);
  });

  test('R19: another office’s template is NOT_FOUND: it cannot be listed, edited, deleted or linked with', async () => {
    const foreign = ok(
      await app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'Annens mal', permissions: ['CUSTOMER_READ'] } },
        { token: anne },
      ),
    ).createAccessTemplate;
    expect((await templates(kari)).map((t) => t.id)).not.toContain(foreign.id);
    const update = await app.api.request(
      UPDATE_TEMPLATE,
      { id: foreign.id, input: { permissions: ['PAYROLL_READ'] } },
      { token: kari },
    );
    const remove = await app.api.request(DELETE_TEMPLATE, { id: foreign.id }, { token: kari });
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const link = await app.api.request(
      BULK_LINK,
      { input: { clientIds: [world.bakeri.id], userKeyId: userKey.id, accessTemplateId: foreign.id } },
      { token: kari },
    );
    expect(codes(update)).toEqual(['NOT_FOUND']);
    expect(codes(remove)).toEqual(['NOT_FOUND']);
    expect(codes(link)).toEqual(['NOT_FOUND']);
    // untouched in its own office
    expect((await templates(anne)).find((t) => t.id === foreign.id)?.permissions).toEqual(['CUSTOMER_READ']);
  });

  test('templates are managed with CLIENT_ADMIN in an accounting office only', async () => {
    const ola = await app.api.login('ola@regnskap.example');
    const bakeriAdmin = await app.api.login('admin@bakeri.example');
    const per = await app.api.login('per@regnskap.example');
    const input = { input: { name: 'Uautorisert', permissions: ['LOGIN'] } };
    expect(codes(await app.api.request(CREATE_TEMPLATE, input, { token: ola }))).toEqual(['FORBIDDEN']);
    expect(codes(await app.api.request(TEMPLATES, {}, { token: ola }))).toEqual(['FORBIDDEN']);
    // the client's admin has CLIENT_ADMIN, but the client is not an accounting office
    expect(codes(await app.api.request(CREATE_TEMPLATE, input, { token: bakeriAdmin }))).toEqual(['FORBIDDEN']);
    // per has CLIENT_ADMIN in the office
    const byPer = await app.api.request(CREATE_TEMPLATE, input, { token: per });
    expect(byPer.errors).toEqual([]);
    expect((await templates(kari)).map((t) => t.name)).toContain('Uautorisert');
  });

  test('a template name must be 1–100 characters', async () => {
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const res = await app.api.request(CREATE_TEMPLATE, { input: { name, permissions: [] } }, { token: kari });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    const rename = await app.api.request(
      UPDATE_TEMPLATE,
      { id: world.kunLese.id, input: { name: '' } },
      { token: kari },
    );
    expect(codes(rename)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('races between deleting and using a template', () => {
  test('R19: deleting a template while it is being linked never leaves a link on a deleted template, nor a server error', async () => {
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    for (let round = 0; round < 15; round++) {
      const template = ok(
        await app.api.request(
          CREATE_TEMPLATE,
          { input: { name: `Kappløp ${round}`, permissions: ['CUSTOMER_READ'] } },
          { token: kari },
        ),
      ).createAccessTemplate;
      const [link, remove] = await Promise.all([
        app.api.request(
          BULK_LINK,
          { input: { clientIds: [world.bakeri.id], userKeyId: userKey.id, accessTemplateId: template.id } },
          { token: kari },
        ),
        app.api.request(DELETE_TEMPLATE, { id: template.id }, { token: kari }),
      ]);
      expect(codes(link).filter((c) => c !== 'NOT_FOUND')).toEqual([]);
      expect(codes(remove).filter((c) => c !== 'CONFLICT')).toEqual([]);
      const linked = link.errors.length === 0;
      const deleted = remove.errors.length === 0;
      expect(linked !== deleted).toBe(true);
      const rows: { template_id: string }[] = await app.server.db.manager.query(
        'SELECT template_id FROM client_link WHERE grantee_id = ?',
        [userKey.id],
      );
      expect(rows.map((r) => r.template_id)).toEqual(linked ? [template.id] : []);
      if (linked) {
        // move the link away so the next round starts from a template nobody uses
        ok(
          await app.api.request(
            UNLINK,
            { input: { clientIds: [world.bakeri.id], userKeyId: userKey.id } },
            { token: kari },
          ),
        );
      }
    }
  });
});
