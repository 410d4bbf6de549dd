import { Session } from '../../../server/src/modules/sessions/session.entity';
import { useWorld } from '../../testkit/run';
import { expectCode } from '../../testkit/expect';

const kit = useWorld();

const VIEWER = '{ viewer { employee { name } company { id name } effectivePermissions } }';

describe('login and sessions', () => {
  test('login returns a session token that authenticates later requests', async () => {
    const token = await kit.app.api.login('kari@regnskap.example');
    expect(token).toMatch(/^nks_[0-9A-Za-z]{49}$/);
    const res = await kit.app.api.request(VIEWER, {}, { token });
    expect(res.errors).toEqual([]);
    expect(res.data.viewer.employee.name).toBe('Kari Nordmann');
    expect(res.data.viewer.company.id).toBe(kit.world.office.id);
  });

  test('a wrong password and an unknown email get the same UNAUTHENTICATED answer', async () => {
    const q = 'mutation ($e: String!) { login(email: $e, password: "wrong-password") { token } }';
    const wrong = await kit.app.api.request(q, { e: 'kari@regnskap.example' });
    const unknown = await kit.app.api.request(q, { e: 'nobody@nowhere.example' });
    expectCode(wrong, 'UNAUTHENTICATED');
    expectCode(unknown, 'UNAUTHENTICATED');
    expect(wrong.errors[0].message).toBe(unknown.errors[0].message);
  });

  test('R23: a deactivated account (no LOGIN) answers the right password exactly as a wrong one (finding 12)', async () => {
    await kit.app.seed.employee(kit.world.office, {
      name: 'No Login',
      email: 'nologin@regnskap.example',
      password: 'demo-password',
      permissions: [],
    });
    const q = 'mutation ($p: String!) { login(email: "nologin@regnskap.example", password: $p) { token } }';
    const right = await kit.app.api.request(q, { p: 'demo-password' });
    const wrong = await kit.app.api.request(q, { p: 'wrong-password' });
    expectCode(right, 'UNAUTHENTICATED');
    expect(right.status).toBe(wrong.status);
    expect(right.errors.map(({ message, extensions }) => ({ message, extensions }))).toEqual(
      wrong.errors.map(({ message, extensions }) => ({ message, extensions })),
    );
    expect(right.data).toEqual(wrong.data);
  });

  test('an over-long email or password is BAD_USER_INPUT before any lookup', async () => {
    const q = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
    const email = await kit.app.api.request(q, { e: `${'a'.repeat(60_000)}@regnskap.example`, p: 'x' });
    expectCode(email, 'BAD_USER_INPUT');
    expect(email.statements).toBe(0);
    const password = await kit.app.api.request(q, { e: 'kari@regnskap.example', p: 'p'.repeat(5000) });
    expectCode(password, 'BAD_USER_INPUT');
  });

  test('logout ends the session: the token is refused afterwards', async () => {
    const token = await kit.app.api.login('ola@regnskap.example');
    const out = await kit.app.api.request('mutation { logout }', {}, { token });
    expect(out.data).toEqual({ logout: true });
    const after = await kit.app.api.request(VIEWER, {}, { token });
    expectCode(after, 'UNAUTHENTICATED');
    expect(after.status).toBe(401);
  });

  test('unknown, malformed and non-Bearer credentials are UNAUTHENTICATED', async () => {
    const token = await kit.app.api.login('kari@regnskap.example');
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const headers of [
      { authorization: `Bearer ${tampered}` },
      { authorization: 'Bearer nothing-like-a-token' },
      { authorization: `Basic ${Buffer.from('kari:demo').toString('base64')}` },
    ]) {
      const res = await kit.app.api.request(VIEWER, {}, { headers });
      expectCode(res, 'UNAUTHENTICATED');
    }
  });

  test('without a credential only login and the catalogs answer (default closed)', async () => {
    const open = await kit.app.api.request('{ permissions { permission label labelNo } applications { totalCount } }');
    expect(open.errors).toEqual([]);
    expect(open.data.permissions).toHaveLength(12);
    expect(open.data.permissions[0]).toEqual({ permission: 'LOGIN', label: 'Log in', labelNo: 'Logge inn' });
    for (const q of [VIEWER, '{ company { name } }', '{ userKeys { totalCount } }', 'mutation { logout }']) {
      const res = await kit.app.api.request(q);
      expectCode(res, 'UNAUTHENTICATED');
    }
  });
});

describe('session lifetime', () => {
  test('an expired session is refused, and is removed at the employee’s next login', async () => {
    const token = await kit.app.api.login('per@regnskap.example');
    await kit.app.server.db.manager.update(
      Session,
      { employeeId: kit.world.per.id },
      { expiresAt: new Date(Date.now() - 1000) },
    );
    const res = await kit.app.api.request(VIEWER, {}, { token });
    expectCode(res, 'UNAUTHENTICATED');
    expect(res.errors[0].message).toMatch(/expired/);
    await kit.app.api.login('per@regnskap.example');
    expect(await kit.app.server.db.manager.countBy(Session, { employeeId: kit.world.per.id })).toBe(1);
  });
});
