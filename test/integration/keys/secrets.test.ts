import { GraphQLObjectType, getNamedType, isLeafType } from 'graphql';
import { Permission } from '../../../server/src/auth/permission';
import { buildNokkelSchema } from '../../../server/src/schema/build-schema';
import { codes } from '../../testkit/graphql-client';
import { createKey, restoreKey, sha256 } from './helpers';
import { CREATE_KEY, RESTORE_KEY, REVOKE_KEY, VIEWER } from './documents';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const { LOGIN, CUSTOMER_READ, HOURS_REGISTER } = Permission;
const SECRET_SHAPE = /^nkl_[0-9A-Za-z]{49}$/;
/** Anything that looks like a Nøkkel credential (key secret or session token). */
const ANY_CREDENTIAL = /(nkl|nks)_[0-9A-Za-z]{49}/;

// the most verbose log level, so the scan below sees everything the server could write
const kit = useWorld({ config: { logLevel: 'trace' }, sessions: ['kari'] });

/** Every row of every table, as text. */
async function wholeDatabase(): Promise<string> {
  const tables = kit.app.server.db.dataSource.entityMetadatas.map((m) => m.tableName);
  const dumps = await Promise.all(
    tables.map(async (t) => JSON.stringify(await kit.app.server.db.manager.query(`SELECT * FROM ${t}`))),
  );
  return dumps.join('\n');
}

/** The secret's random part, which must not be stored or shown either (with or without its prefix). */
const body = (token: string) => token.slice('nkl_'.length, 'nkl_'.length + 43);

function expectNoSecret(text: string, token: string): void {
  expect(text.includes(token)).toBe(false);
  expect(text.includes(body(token))).toBe(false);
}

describe('R8 the secret', () => {
  test('R8: a key secret is nkl_ and 49 base62 characters, different for every key and every restore', async () => {
    const a = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const b = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const c = await restoreKey(kit.app, kit.token.kari, a.userKey.id);
    for (const token of [a.token, b.token, c.token]) expect(token).toMatch(SECRET_SHAPE);
    expect(new Set([a.token, b.token, c.token, body(a.token), body(b.token), body(c.token)]).size).toBe(6);
  });

  test('R8: the database keeps only the SHA-256 of the secret; no column of any table holds the secret', async () => {
    const made = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      permissions: [LOGIN, HOURS_REGISTER],
    });
    const [row] = await kit.app.server.db.manager.query('SELECT secret_hash FROM user_key WHERE id = ?', [
      made.userKey.id,
    ]);
    expect(row.secret_hash).toBe(sha256(made.token));
    expectNoSecret(await wholeDatabase(), made.token);

    const fresh = await restoreKey(kit.app, kit.token.kari, made.userKey.id);
    const [after] = await kit.app.server.db.manager.query('SELECT secret_hash FROM user_key WHERE id = ?', [
      made.userKey.id,
    ]);
    expect(after.secret_hash).toBe(sha256(fresh.token));
    const everything = await wholeDatabase();
    expectNoSecret(everything, fresh.token);
    expect(everything.includes(sha256(made.token))).toBe(false);
  });

  test('R8: the hint shows the prefix and the last 4 characters, and nothing more of the secret', async () => {
    const made = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    expect(made.userKey.tokenHint).toBe(`nkl_…${made.token.slice(-4)}`);
    const fresh = await restoreKey(kit.app, kit.token.kari, made.userKey.id);
    expect(fresh.userKey.tokenHint).toBe(`nkl_…${fresh.token.slice(-4)}`);
    expect(fresh.userKey.tokenHint).not.toBe(made.userKey.tokenHint);
  });

  test('R8: the secret is shown only in the create/restore payload and never readable through any query', async () => {
    const schema = buildNokkelSchema();
    // the only fields that carry a credential are the three payloads that hand one out
    const tokenFields = Object.values(schema.getTypeMap())
      .filter((t): t is GraphQLObjectType => t instanceof GraphQLObjectType && !t.name.startsWith('__'))
      .flatMap((t) =>
        Object.keys(t.getFields())
          .filter((f) => /token$|secret|hash/i.test(f))
          .map((f) => `${t.name}.${f}`),
      );
    expect(tokenFields.sort()).toEqual([
      'CreateUserKeyPayload.token',
      // a webhook signing secret, handed out once by the payloads that make one (R37)
      'CreateWebhookEndpointPayload.secret',
      'LoginPayload.token',
      'Mutation.reportLeakedSecrets', // takes secrets found in public (R31), answers only true
      'Mutation.rotateWebhookSecret', // the mutation's name, not a credential
      'RestoreUserKeyPayload.token',
      'RotateWebhookSecretPayload.secret',
      'UserKey.previousSecretExpiresAt', // a time (R28)
      'UserKey.secretIssuedByKey',
      'WebhookEndpoint.previousSecretExpiresAt', // a time
      'WebhookEndpoint.secretHint', // prefix and last 4 characters, as UserKey.tokenHint
    ]);
    // R25's provenance field names the key that obtained the secret, never the secret itself
    const provenance = (schema.getType('UserKey') as GraphQLObjectType).getFields().secretIssuedByKey;
    expect(String(provenance.type)).toBe('UserKey');

    // ask for every plain field of a key, everywhere a key can be reached
    const userKeyType = schema.getType('UserKey') as GraphQLObjectType;
    const leaves = Object.values(userKeyType.getFields())
      .filter((f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !a.type.toString().endsWith('!')))
      .map((f) => f.name);
    expect(leaves).toEqual(expect.arrayContaining(['id', 'tokenHint', 'name', 'status']));
    const all = leaves.join(' ');

    const made = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.fiken.id,
      permissions: [LOGIN, CUSTOMER_READ],
    });
    const token = made.token;
    const reads = [
      await kit.app.api.request(
        `query ($id: ID!) { userKey(id: $id) { ${all} } }`,
        { id: made.userKey.id },
        { token: kit.token.kari },
      ),
      await kit.app.api.request(
        `{ userKeys(first: 100) { edges { node { ${all} } } } }`,
        {},
        { token: kit.token.kari },
      ),
      await kit.app.api.request(`{ viewer { userKey { ${all} } } }`, {}, { token }),
      await kit.app.api.request(
        `query ($id: ID!) { employee(id: $id) { userKeys(first: 100) { edges { node { ${all} } } } } }`,
        { id: kit.world.kari.id },
        { token: kit.token.kari },
      ),
      await kit.app.api.request(
        `{ auditEvents(first: 100) { edges { node { action details actorUserKey { ${all} } } } } }`,
        {},
        { token: kit.token.kari },
      ),
      await kit.app.api.request(
        `{ viewer { userKey { ${all} } } }`,
        {},
        { token: (await restoreKey(kit.app, kit.token.kari, made.userKey.id)).token },
      ),
    ];
    for (const res of reads) {
      expect(res.errors).toEqual([]);
      expectNoSecret(JSON.stringify(res.data), token);
    }
    // the second read found the key, so the check above looked at it
    expect(JSON.stringify(reads[1].data)).toContain(made.userKey.id);
  });

  test('R8: no secret or session token ever reaches the server log, through a whole key flow and its failures', async () => {
    const seen: string[] = [kit.token.kari];
    const ola = await kit.app.api.login('ola@regnskap.example');
    seen.push(ola);

    // create, use, edit, restore, use the old and the new secret, revoke, use again
    const made = await createKey(kit.app, ola, { employeeId: kit.world.ola.id, accessMode: 'ALL_ACCESS' });
    seen.push(made.token);
    expectOk(
      await kit.app.api.request(
        'mutation { registerHours(input: { date: "2026-11-04", hours: 2 }) { id } }',
        {},
        { token: made.token },
      ),
    );
    expectCode(
      await kit.app.api.request('{ customers(first: 1) { totalCount } }', {}, { token: made.token }),
      'FORBIDDEN',
    );
    const fresh = expectOk(
      await kit.app.api.request(RESTORE_KEY, { id: made.userKey.id }, { token: ola }),
    ).restoreUserKey;
    seen.push(fresh.token);
    expectCode(await kit.app.api.request(VIEWER, {}, { token: made.token }), 'UNAUTHENTICATED');
    expectOk(await kit.app.api.request(VIEWER, {}, { token: fresh.token }));
    expectOk(await kit.app.api.request(REVOKE_KEY, { id: made.userKey.id }, { token: ola }));
    expectCode(await kit.app.api.request(VIEWER, {}, { token: fresh.token }), 'UNAUTHENTICATED');

    // failures that echo what the caller sent are the likeliest place for a secret to leak
    const tampered = `${fresh.token.slice(0, -1)}${fresh.token.endsWith('a') ? 'b' : 'a'}`;
    const misuses: [
      string,
      Record<string, unknown>,
      { token?: string; companyId?: string; headers?: Record<string, string> },
      string,
    ][] = [
      [VIEWER, {}, { token: tampered }, 'UNAUTHENTICATED'],
      [VIEWER, {}, { token: kit.token.kari, companyId: fresh.token }, 'BAD_USER_INPUT'],
      // a partner that sends its key in a header of its own choosing
      [VIEWER, {}, { headers: { 'x-api-key': fresh.token } }, 'UNAUTHENTICATED'],
      [
        'query ($a: String) { userKeys(after: $a) { totalCount } }',
        { a: fresh.token },
        { token: kit.token.kari },
        'BAD_USER_INPUT',
      ],
      [
        CREATE_KEY,
        { input: { employeeId: fresh.token, name: 'x', accessMode: 'CUSTOM', customApplicationName: 'x' } },
        { token: kit.token.kari },
        'NOT_FOUND',
      ],
      [`{ userKey(id: "${made.token}") { id } }`, {}, { token: kit.token.kari }, 'NOT_FOUND'],
      [
        'mutation ($p: Boolean!) { activateIntegrations(acceptTerms: $p) { id } }',
        { p: fresh.token },
        { token: kit.token.kari },
        'BAD_USER_INPUT',
      ],
    ];
    for (const [query, variables, options, code] of misuses) {
      expect(codes(await kit.app.api.request(query, variables, options))).toEqual([code]);
    }
    expectOk(await kit.app.api.request('mutation { logout }', {}, { token: ola }));
    expectCode(await kit.app.api.request(VIEWER, {}, { token: ola }), 'UNAUTHENTICATED');
    await kit.app.server.services.keyUsage.flush();

    expect(kit.app.logs.length).toBeGreaterThan(0);
    for (const line of kit.app.logs) {
      for (const secret of seen) {
        expect(line.includes(secret)).toBe(false);
        expect(line.includes(secret.slice(4, 47))).toBe(false);
      }
      expect(line).not.toMatch(ANY_CREDENTIAL);
    }
  });
});
