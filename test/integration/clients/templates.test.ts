import { Permission } from '../../../server/src/auth/permission';
import { codes } from '../../testkit/graphql-client';
import {
  BULK_LINK,
  CREATE_TEMPLATE,
  DELETE_TEMPLATE,
  TEMPLATES,
  UNLINK,
  UPDATE_TEMPLATE,
  VIEWER,
  accountantKey,
} from './helpers';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ sessions: ['kari', 'anne'] });

interface TemplateView {
  id: string;
  name: string;
  permissions: string[];
}

async function templates(token: string): Promise<TemplateView[]> {
  return expectOk(await kit.app.api.request<{ accessTemplates: TemplateView[] }>(TEMPLATES, {}, { token }))
    .accessTemplates;
}

describe('access templates (tilgangsmaler)', () => {
  test('R19: an office creates, lists, renames, edits and deletes its own access templates', async () => {
    const created = await kit.app.api.request(
      CREATE_TEMPLATE,
      { input: { name: '  Lønn  ', permissions: ['PAYROLL_READ', 'EMPLOYEE_READ'] } },
      { token: kit.token.kari },
    );
    expect(created.errors).toEqual([]);
    const template = created.data.createAccessTemplate;
    expect(template).toMatchObject({ name: 'Lønn' });
    expect([...template.permissions].sort()).toEqual(['EMPLOYEE_READ', 'PAYROLL_READ']);
    expect((await templates(kit.token.kari)).map((t) => t.name)).toEqual(['Bokføring', 'Kun lese', 'Lønn']);

    const renamed = await kit.app.api.request(
      UPDATE_TEMPLATE,
      { id: template.id, input: { name: 'Lønn og personal' } },
      { token: kit.token.kari },
    );
    expect(renamed.data.updateAccessTemplate.name).toBe('Lønn og personal');
    expect([...renamed.data.updateAccessTemplate.permissions].sort()).toEqual(['EMPLOYEE_READ', 'PAYROLL_READ']);

    const edited = await kit.app.api.request(
      UPDATE_TEMPLATE,
      { id: template.id, input: { permissions: ['HOURS_READ_ALL'] } },
      { token: kit.token.kari },
    );
    expect(edited.data.updateAccessTemplate).toEqual({
      id: template.id,
      name: 'Lønn og personal',
      permissions: ['HOURS_READ_ALL'],
    });
    expect((await templates(kit.token.kari)).find((t) => t.id === template.id)?.permissions).toEqual([
      'HOURS_READ_ALL',
    ]);

    const deleted = await kit.app.api.request(DELETE_TEMPLATE, { id: template.id }, { token: kit.token.kari });
    expect(deleted.data).toEqual({ deleteAccessTemplate: true });
    expect((await templates(kit.token.kari)).map((t) => t.id)).not.toContain(template.id);
  });

  test('R19: template names are unique within an office (CONFLICT), but two offices may use the same name', async () => {
    const duplicate = await kit.app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Bokføring', permissions: ['LOGIN'] } },
      { token: kit.token.kari },
    );
    expectCode(duplicate, 'CONFLICT');
    const rename = await kit.app.api.request(
      UPDATE_TEMPLATE,
      { id: kit.world.kunLese.id, input: { name: 'Bokføring' } },
      { token: kit.token.kari },
    );
    expectCode(rename, 'CONFLICT');
    expect((await templates(kit.token.kari)).filter((t) => t.name === 'Bokføring')).toHaveLength(1);
    expect((await templates(kit.token.kari)).find((t) => t.id === kit.world.kunLese.id)?.name).toBe('Kun lese');

    const otherOffice = await kit.app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Bokføring', permissions: ['CUSTOMER_READ'] } },
      { token: kit.token.anne },
    );
    expect(otherOffice.errors).toEqual([]);
    expect((await templates(kit.token.anne)).map((t) => t.name)).toEqual(['Bokføring']);
  });

  test('R19: a template used by a client link cannot be deleted (CONFLICT) until the link is gone', async () => {
    const template = expectOk(
      await kit.app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'I bruk', permissions: ['CUSTOMER_READ'] } },
        { token: kit.token.kari },
      ),
    ).createAccessTemplate;
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        { input: { clientIds: [kit.world.bakeri.id], userKeyId: userKey.id, accessTemplateId: template.id } },
        { token: kit.token.kari },
      ),
    );

    const refused = await kit.app.api.request(DELETE_TEMPLATE, { id: template.id }, { token: kit.token.kari });
    expectCode(refused, 'CONFLICT');
    expect(refused.errors[0].extensions?.linkCount).toBe(1);
    expect((await templates(kit.token.kari)).map((t) => t.id)).toContain(template.id);

    expectOk(
      await kit.app.api.request(
        UNLINK,
        { input: { clientIds: [kit.world.bakeri.id], userKeyId: userKey.id } },
        { token: kit.token.kari },
      ),
    );
    const deleted = await kit.app.api.request(DELETE_TEMPLATE, { id: template.id }, { token: kit.token.kari });
    expect(deleted.data).toEqual({ deleteAccessTemplate: true });
  });

  test('R19: editing a template changes a linked key’s effective permissions at the very next request', async () => {
    const template = expectOk(
      await kit.app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'Skiftende', permissions: ['CUSTOMER_READ'] } },
        { token: kit.token.kari },
      ),
    ).createAccessTemplate;
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
      Permission.INVOICE_READ,
    ]);
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        { input: { clientIds: [kit.world.fjordFisk.id], userKeyId: userKey.id, accessTemplateId: template.id } },
        { token: kit.token.kari },
      ),
    );
    const atFjord = { token, companyId: kit.world.fjordFisk.id };
    const createCustomer = 'mutation { createCustomer(input: { name: "Via mal AS" }) { name } }';

    const before = await kit.app.api.request(VIEWER, {}, atFjord);
    expect(before.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ']);
    expectCode(await kit.app.api.request(createCustomer, {}, atFjord), 'FORBIDDEN');

    expectOk(
      await kit.app.api.request(
        UPDATE_TEMPLATE,
        { id: template.id, input: { permissions: ['CUSTOMER_READ', 'CUSTOMER_WRITE', 'PAYROLL_READ'] } },
        { token: kit.token.kari },
      ),
    );
    const widened = await kit.app.api.request(VIEWER, {}, atFjord);
    // PAYROLL_READ is in the template but not in the key, so it stays out
    expect(widened.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'CUSTOMER_WRITE']);
    const created = await kit.app.api.request(createCustomer, {}, atFjord);
    expect(created.errors).toEqual([]);
    expect(created.data.createCustomer.name).toBe('Via mal AS');

    expectOk(
      await kit.app.api.request(
        UPDATE_TEMPLATE,
        { id: template.id, input: { permissions: [] } },
        { token: kit.token.kari },
      ),
    );
    expect((await kit.app.api.request(VIEWER, {}, atFjord)).data.viewer.effectivePermissions).toEqual([]);
    expectCode(await kit.app.api.request('{ customers { totalCount } }', {}, atFjord), 'FORBIDDEN');
  });

  test('R19: editing a template changes a linked employee’s permissions at the client too', async () => {
    const template = expectOk(
      await kit.app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'For ansatte', permissions: ['CUSTOMER_READ', 'INVOICE_READ'] } },
        { token: kit.token.kari },
      ),
    ).createAccessTemplate;
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        { input: { clientIds: [kit.world.fjordFisk.id], employeeId: kit.world.per.id, accessTemplateId: template.id } },
        { token: kit.token.kari },
      ),
    );
    const per = await kit.app.api.login('per@regnskap.example');
    const atFjord = { token: per, companyId: kit.world.fjordFisk.id };
    expect((await kit.app.api.request(VIEWER, {}, atFjord)).data.viewer.effectivePermissions).toEqual([
      'CUSTOMER_READ',
      'INVOICE_READ',
    ]);
    expectOk(
      await kit.app.api.request(
        UPDATE_TEMPLATE,
        { id: template.id, input: { permissions: ['INVOICE_READ'] } },
        { token: kit.token.kari },
      ),
    );
    expect((await kit.app.api.request(VIEWER, {}, atFjord)).data.viewer.effectivePermissions).toEqual(['INVOICE_READ']);
  });

  test('R19: another office’s template is NOT_FOUND: it cannot be listed, edited, deleted or linked with', async () => {
    const foreign = expectOk(
      await kit.app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'Annens mal', permissions: ['CUSTOMER_READ'] } },
        { token: kit.token.anne },
      ),
    ).createAccessTemplate;
    expect((await templates(kit.token.kari)).map((t) => t.id)).not.toContain(foreign.id);
    const update = await kit.app.api.request(
      UPDATE_TEMPLATE,
      { id: foreign.id, input: { permissions: ['PAYROLL_READ'] } },
      { token: kit.token.kari },
    );
    const remove = await kit.app.api.request(DELETE_TEMPLATE, { id: foreign.id }, { token: kit.token.kari });
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const link = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: [kit.world.bakeri.id], userKeyId: userKey.id, accessTemplateId: foreign.id } },
      { token: kit.token.kari },
    );
    expectNotFound(update);
    expectNotFound(remove);
    expectNotFound(link);
    // untouched in its own office
    expect((await templates(kit.token.anne)).find((t) => t.id === foreign.id)?.permissions).toEqual(['CUSTOMER_READ']);
  });

  test('templates are managed with CLIENT_ADMIN in an accounting office only', async () => {
    const ola = await kit.app.api.login('ola@regnskap.example');
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    const per = await kit.app.api.login('per@regnskap.example');
    const input = { input: { name: 'Uautorisert', permissions: ['LOGIN'] } };
    expectCode(await kit.app.api.request(CREATE_TEMPLATE, input, { token: ola }), 'FORBIDDEN');
    expectCode(await kit.app.api.request(TEMPLATES, {}, { token: ola }), 'FORBIDDEN');
    // the client's admin has CLIENT_ADMIN, but the client is not an accounting office
    expectCode(await kit.app.api.request(CREATE_TEMPLATE, input, { token: bakeriAdmin }), 'FORBIDDEN');
    // per has CLIENT_ADMIN in the office
    const byPer = await kit.app.api.request(CREATE_TEMPLATE, input, { token: per });
    expect(byPer.errors).toEqual([]);
    expect((await templates(kit.token.kari)).map((t) => t.name)).toContain('Uautorisert');
  });

  test('a template name must be 1–100 characters', async () => {
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const res = await kit.app.api.request(
        CREATE_TEMPLATE,
        { input: { name, permissions: [] } },
        { token: kit.token.kari },
      );
      expectCode(res, 'BAD_USER_INPUT');
    }
    const rename = await kit.app.api.request(
      UPDATE_TEMPLATE,
      { id: kit.world.kunLese.id, input: { name: '' } },
      { token: kit.token.kari },
    );
    expectCode(rename, 'BAD_USER_INPUT');
  });
});

describe('races between deleting and using a template', () => {
  test('R19: deleting a template while it is being linked never leaves a link on a deleted template, nor a server error', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    for (let round = 0; round < 15; round++) {
      const template = expectOk(
        await kit.app.api.request(
          CREATE_TEMPLATE,
          { input: { name: `Kappløp ${round}`, permissions: ['CUSTOMER_READ'] } },
          { token: kit.token.kari },
        ),
      ).createAccessTemplate;
      const [link, remove] = await Promise.all([
        kit.app.api.request(
          BULK_LINK,
          { input: { clientIds: [kit.world.bakeri.id], userKeyId: userKey.id, accessTemplateId: template.id } },
          { token: kit.token.kari },
        ),
        kit.app.api.request(DELETE_TEMPLATE, { id: template.id }, { token: kit.token.kari }),
      ]);
      expect(codes(link).filter((c) => c !== 'NOT_FOUND')).toEqual([]);
      expect(codes(remove).filter((c) => c !== 'CONFLICT')).toEqual([]);
      const linked = link.errors.length === 0;
      const deleted = remove.errors.length === 0;
      expect(linked !== deleted).toBe(true);
      const rows: { template_id: string }[] = await kit.app.server.db.manager.query(
        'SELECT template_id FROM client_link WHERE grantee_id = ?',
        [userKey.id],
      );
      expect(rows.map((r) => r.template_id)).toEqual(linked ? [template.id] : []);
      if (linked) {
        // move the link away so the next round starts from a template nobody uses
        expectOk(
          await kit.app.api.request(
            UNLINK,
            { input: { clientIds: [kit.world.bakeri.id], userKeyId: userKey.id } },
            { token: kit.token.kari },
          ),
        );
      }
    }
  });
});
