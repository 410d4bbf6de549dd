import { Permission } from '../../../server/src/auth/permission';
import { codes } from '../../testkit/graphql-client';
import { auditEvents } from '../clients/helpers';
import { createKey, type IssuedKey } from '../keys/helpers';
import { REVOKE_KEY, VIEWER } from '../keys/documents';
import { useWorld } from '../../testkit/run';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';

/** Provenance (R25), transitive revocation (R26) and compromise (R27), as an attacker would try them. */

const { LOGIN, CUSTOMER_READ, USER_ADMIN } = Permission;

const PROVENANCE = `query ($id: ID!) { userKey(id: $id) { id status createdByKey { id name } secretIssuedByKey { id name } } }`;
const RESTORE = `mutation ($id: ID!, $compromised: Boolean) {
  restoreUserKey(id: $id, compromised: $compromised) { token userKey { id secretIssuedByKey { id } } } }`;

const kit = useWorld({ sessions: ['kari'] });

/** A key of Kari's that can manage her keys (USER_ADMIN) and read customers. */
function managingKey(name: string): Promise<IssuedKey> {
  return createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    name,
    permissions: [LOGIN, CUSTOMER_READ, USER_ADMIN],
  });
}

/** A key of Kari's made by the request of `token` (a session or a key). */
function keyMadeBy(
  token: string,
  name: string,
  permissions: Permission[] = [LOGIN, CUSTOMER_READ],
): Promise<IssuedKey> {
  return createKey(kit.app, token, { employeeId: kit.world.kari.id, name, permissions });
}

async function restore(token: string, id: string, compromised?: boolean): Promise<string> {
  return expectOk(await kit.app.api.request(RESTORE, { id, compromised }, { token })).restoreUserKey.token;
}

async function provenance(id: string) {
  return expectOk(await kit.app.api.request(PROVENANCE, { id }, { token: kit.token.kari })).userKey;
}

async function works(token: string): Promise<boolean> {
  const res = await kit.app.api.request(VIEWER, {}, { token });
  if (res.errors.length && codes(res)[0] !== 'UNAUTHENTICATED') throw new Error(JSON.stringify(res.errors));
  return res.errors.length === 0;
}

describe('R25: provenance', () => {
  test('R25: a key records the key that created it, and the key that obtained its current secret by restoring it', async () => {
    const a = await managingKey('Proveniens A');
    const byKey = await keyMadeBy(a.token, 'Laget av A');
    const byPerson = await keyMadeBy(kit.token.kari, 'Laget av Kari');
    expect(await provenance(byKey.userKey.id)).toMatchObject({
      createdByKey: { id: a.userKey.id, name: 'Proveniens A' },
      secretIssuedByKey: null,
    });
    expect(await provenance(byPerson.userKey.id)).toMatchObject({ createdByKey: null, secretIssuedByKey: null });

    await restore(a.token, byPerson.userKey.id);
    expect(await provenance(byPerson.userKey.id)).toMatchObject({
      createdByKey: null,
      secretIssuedByKey: { id: a.userKey.id },
    });
    // restored by a person in a session, no key holds the new secret
    await kit.app.server.db.manager.query('UPDATE user_key SET restored_at = NULL WHERE id = ?', [byPerson.userKey.id]);
    await restore(kit.token.kari, byPerson.userKey.id);
    expect(await provenance(byPerson.userKey.id)).toMatchObject({ secretIssuedByKey: null });
  });

  test('R25: provenance is shown only to whoever may see the key’s permissions', async () => {
    const a = await managingKey('Synlig A');
    const made = await keyMadeBy(a.token, 'Synlig barn');
    const per = await kit.app.api.login('per@regnskap.example');
    // Per may not see Kari's keys at all; through an audit entry he meets the key, not its provenance
    expectNotFound(await kit.app.api.request(PROVENANCE, { id: made.userKey.id }, { token: per }));
    const own = expectOk(
      await kit.app.api.request('{ viewer { userKey { createdByKey { id } } } }', {}, { token: made.token }),
    );
    expect(own.viewer.userKey.createdByKey).toEqual({ id: a.userKey.id });
  });

  test('R25: restoring a key yourself does not forget who obtained its secret before', async () => {
    const a = await managingKey('Tyv A');
    const victim = await keyMadeBy(kit.token.kari, 'Offer');
    const stolen = await restore(a.token, victim.userKey.id);
    await kit.app.server.db.manager.query('UPDATE user_key SET restored_at = NULL WHERE id = ?', [victim.userKey.id]);
    // the holder of the stolen secret rotates it with the key itself
    await restore(stolen, victim.userKey.id);
    expect(await provenance(victim.userKey.id)).toMatchObject({ secretIssuedByKey: { id: a.userKey.id } });
  });
});

describe('R26: transitive revocation', () => {
  test('R26: a secret obtained by restoring another key is revoked with the obtaining key, even after its holder restores it again itself (finding 5)', async () => {
    const a = await managingKey('Lekket A');
    const victim = await keyMadeBy(kit.token.kari, 'Søsken');
    const stolen = await restore(a.token, victim.userKey.id);
    await kit.app.server.db.manager.query('UPDATE user_key SET restored_at = NULL WHERE id = ?', [victim.userKey.id]);
    const laundered = await restore(stolen, victim.userKey.id);
    expect(await works(laundered)).toBe(true);

    expectOk(await kit.app.api.request(REVOKE_KEY, { id: a.userKey.id }, { token: kit.token.kari }));
    expect(await works(laundered)).toBe(false);
    expect(await provenance(victim.userKey.id)).toMatchObject({ status: 'REVOKED' });
  });

  test('R26: revoking a key revokes, recursively, every key it created and every key whose secret it obtained — and nothing else', async () => {
    const a = await managingKey('Rot A');
    const b = await keyMadeBy(a.token, 'Barn B', [LOGIN, CUSTOMER_READ, USER_ADMIN]);
    const d = await keyMadeBy(b.token, 'Barnebarn D');
    const e = await keyMadeBy(kit.token.kari, 'Hentet E');
    const eSecret = await restore(b.token, e.userKey.id);
    const f = await keyMadeBy(kit.token.kari, 'Uberørt F');

    const revoked = expectOk(await kit.app.api.request(REVOKE_KEY, { id: a.userKey.id }, { token: kit.token.kari }));
    expect(revoked.revokeUserKey.status).toBe('REVOKED');
    for (const token of [a.token, b.token, d.token, eSecret]) expect(await works(token)).toBe(false);
    expect(await works(f.token)).toBe(true);
    // each cascaded revocation is audited, naming the key it came from
    const cascaded = (await auditEvents(kit.app, kit.token.kari))
      .filter((ev) => ev.action === 'userKey.revoke' && JSON.parse(ev.details ?? '{}').cascadeFrom === a.userKey.id)
      .map((ev) => ev.targetId)
      .sort();
    expect(cascaded).toEqual([b.userKey.id, d.userKey.id, e.userKey.id].sort());
  });
});

describe('R27: compromise', () => {
  test('R27: restoring with compromised: true also revokes everything the old secret created or obtained, with theirs (finding 8)', async () => {
    const leaked = await managingKey('Lekket nøkkel');
    const m = await keyMadeBy(leaked.token, 'Laget av lekket', [LOGIN, CUSTOMER_READ, USER_ADMIN]);
    const n = await keyMadeBy(m.token, 'Laget av M');
    const p = await keyMadeBy(kit.token.kari, 'Hentet av lekket');
    const pSecret = await restore(leaked.token, p.userKey.id);
    const bystander = await keyMadeBy(kit.token.kari, 'Tilskuer');

    const fresh = await restore(kit.token.kari, leaked.userKey.id, true);
    expect(await works(leaked.token)).toBe(false);
    expect(await works(fresh)).toBe(true);
    for (const token of [m.token, n.token, pSecret]) expect(await works(token)).toBe(false);
    expect(await works(bystander.token)).toBe(true);
    const restoreEvent = (await auditEvents(kit.app, kit.token.kari)).find(
      (ev) => ev.action === 'userKey.restore' && ev.targetId === leaked.userKey.id,
    );
    expect(JSON.parse(restoreEvent!.details!)).toMatchObject({ compromised: true, revokedCount: 3 });
  });

  test('R27: only what the old secret made goes: keys made by an earlier holder of the key stay', async () => {
    const key = await managingKey('Byttet eier');
    const earlier = await keyMadeBy(key.token, 'Fra før');
    // Kari hands the key to a new integration (a plain restore, R9): the earlier holder's keys stay
    const second = await restore(kit.token.kari, key.userKey.id);
    expect(await works(earlier.token)).toBe(true);
    const later = await keyMadeBy(second, 'Fra ny holder');
    await kit.app.server.db.manager.query('UPDATE user_key SET restored_at = NULL WHERE id = ?', [key.userKey.id]);
    // the new integration's secret leaks
    await restore(kit.token.kari, key.userKey.id, true);
    expect(await works(later.token)).toBe(false);
    expect(await works(earlier.token)).toBe(true);
  });

  test('R27: without compromised, a restore only replaces the secret (R9): what the old secret made keeps working', async () => {
    const key = await managingKey('Bare rotert');
    const made = await keyMadeBy(key.token, 'Lever videre');
    await restore(kit.token.kari, key.userKey.id);
    expect(await works(key.token)).toBe(false);
    expect(await works(made.token)).toBe(true);
  });

  test('R27: compromised revokes nothing for a caller who may not restore the key (R6 comes first)', async () => {
    const small = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      name: 'Liten',
      permissions: [CUSTOMER_READ],
    });
    const other = await managingKey('Annen');
    const made = await keyMadeBy(other.token, 'Annens barn');
    const res = await kit.app.api.request(RESTORE, { id: other.userKey.id, compromised: true }, { token: small.token });
    expectCode(res, 'PERMISSION_CEILING_EXCEEDED');
    expect(await works(other.token)).toBe(true);
    expect(await works(made.token)).toBe(true);
  });
});
