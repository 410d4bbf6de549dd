import { Permission } from '../../../server/src/auth/permission';
import { type GraphQLResponse } from '../../testkit/graphql-client';
import { createKey, type Json } from '../keys/helpers';
import { CREATE_KEY, REVOKE_KEY, VIEWER } from '../keys/documents';
import { useWorld } from '../../testkit/run';
import { expectCode, expectOk } from '../../testkit/expect';
import { sleep } from '../../testkit/clock';

/**
 * R26 under real concurrency: requests made with a key race its revocation, in many interleavings.
 * Whatever the order, once the revoke has answered nothing the key made or obtained still works.
 */

const { LOGIN, CUSTOMER_READ, USER_ADMIN } = Permission;

const kit = useWorld({ sessions: ['kari'] });

function create(token: string, name: string): Promise<GraphQLResponse<Json>> {
  return kit.app.api.request(
    CREATE_KEY,
    {
      input: {
        employeeId: kit.world.kari.id,
        name,
        accessMode: 'CUSTOM',
        customApplicationName: 'Racer',
        permissions: [LOGIN],
      },
    },
    { token },
  );
}

/** Active keys whose creator, or the obtainer of whose secret, is one of `ids`. */
async function survivorsOf(ids: string[]): Promise<number> {
  const marks = ids.map(() => '?').join(', ');
  const [row] = await kit.app.server.db.manager.query(
    `SELECT COUNT(*) AS n FROM user_key WHERE revoked_at IS NULL
     AND (created_by_user_key_id IN (${marks}) OR secret_issued_by_user_key_id IN (${marks}))`,
    [...ids, ...ids],
  );
  return Number(row.n);
}

/** Revokes a key after a random moment, so the race lands at a different point each round. */
async function revokeSoon(id: string): Promise<GraphQLResponse<Json>> {
  await sleep(Math.random() * 25);
  return kit.app.api.request(REVOKE_KEY, { id }, { token: kit.token.kari });
}

// hundreds of racing requests per test: on a loaded two-core machine they need more than the default minute
const RACE_TIMEOUT_MS = 240_000;

test(
  'R26: keys a key creates while it is being revoked never survive (30 rounds × 10 parallel creates, finding 6)',
  async () => {
    let created = 0;
    let refused = 0;
    for (let round = 0; round < 30; round++) {
      const racer = await createKey(kit.app, kit.token.kari, {
        employeeId: kit.world.kari.id,
        name: `Racer ${round}`,
        permissions: [LOGIN, CUSTOMER_READ],
      });
      const results = await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => create(racer.token, `Racer ${round}.${i}`)),
        revokeSoon(racer.userKey.id),
      ]);
      const revoke = results.pop()!;
      expect(revoke.errors).toEqual([]);
      for (const res of results) {
        if (res.errors.length === 0) {
          created += 1;
          // made before the revoke committed: revoked with it
          expectCode(await kit.app.api.request(VIEWER, {}, { token: res.data.createUserKey.token }), 'UNAUTHENTICATED');
        } else {
          refused += 1;
          expectCode(res, 'UNAUTHENTICATED');
        }
      }
      expect(await survivorsOf([racer.userKey.id])).toBe(0);
    }
    // the rounds exercised the race from both sides
    expect(created + refused).toBe(300);
    expect(created).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  },
  RACE_TIMEOUT_MS,
);

test(
  'R26: keys a child key creates while its parent is being revoked never survive either',
  async () => {
    for (let round = 0; round < 10; round++) {
      const parent = await createKey(kit.app, kit.token.kari, {
        employeeId: kit.world.kari.id,
        name: `Forelder ${round}`,
        permissions: [LOGIN, CUSTOMER_READ],
      });
      const child = expectOk(await create(parent.token, `Barn ${round}`)).createUserKey;
      const results = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => create(child.token, `Barnebarn ${round}.${i}`)),
        revokeSoon(parent.userKey.id),
      ]);
      expect(results.pop()!.errors).toEqual([]);
      expect(await survivorsOf([parent.userKey.id, child.userKey.id])).toBe(0);
    }
  },
  RACE_TIMEOUT_MS,
);

test(
  'R26: secrets a key obtains by restoring other keys while it is being revoked never survive',
  async () => {
    for (let round = 0; round < 10; round++) {
      const racer = await createKey(kit.app, kit.token.kari, {
        employeeId: kit.world.kari.id,
        name: `Gjenoppretter ${round}`,
        permissions: [LOGIN, CUSTOMER_READ, USER_ADMIN],
      });
      const siblings = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          createKey(kit.app, kit.token.kari, {
            employeeId: kit.world.kari.id,
            name: `Søsken ${round}.${i}`,
            permissions: [LOGIN],
          }),
        ),
      );
      const results = await Promise.all([
        ...siblings.map((s) =>
          kit.app.api.request(
            'mutation ($id: ID!) { restoreUserKey(id: $id) { token } }',
            { id: s.userKey.id },
            {
              token: racer.token,
            },
          ),
        ),
        revokeSoon(racer.userKey.id),
      ]);
      expect(results.pop()!.errors).toEqual([]);
      for (const res of results.filter((r) => r.errors.length === 0)) {
        expectCode(await kit.app.api.request(VIEWER, {}, { token: res.data.restoreUserKey.token }), 'UNAUTHENTICATED');
      }
      expect(await survivorsOf([racer.userKey.id])).toBe(0);
    }
  },
  RACE_TIMEOUT_MS,
);
