import fc from 'fast-check';
import { assertGrantAllowed, effectiveAtHome } from '../../server/src/rules/ceiling';
import {
  ADMINISTRATION,
  assertTemplatePermissions,
  clientAccessRefusal,
  effectiveAtClient,
  keyEffectiveAtClient,
  type ClientAccessConditions,
} from '../../server/src/rules/client-access';
import { rolesWithoutActiveHolder } from '../../server/src/rules/people';
import { isRevokedWith, revocationClosure } from '../../server/src/rules/provenance';
import { NokkelError } from '../../server/src/shared/errors';
import { Permission, PermissionSet } from '../../server/src/shared/permission';

/** Property tests of the algebraic rules: they hold for every permission set, not just the examples. */

const permissionSet = fc
  .integer({ min: 0, max: (1 << Object.values(Permission).length) - 1 })
  .map(PermissionSet.fromBits);
const conditions: fc.Arbitrary<ClientAccessConditions> = fc.record({
  keyActive: fc.boolean(),
  linked: fc.boolean(),
  apiAccess: fc.boolean(),
  officeIntegrationsActive: fc.boolean(),
});

function thrown(fn: () => void): NokkelError | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof NokkelError) return error;
    throw error;
  }
}

describe('R2: the ceiling', () => {
  test('R2: a grant goes through exactly when everything it adds is within the owner’s permissions and the actor’s cap', () => {
    fc.assert(
      fc.property(permissionSet, permissionSet, permissionSet, permissionSet, (requested, held, owner, cap) => {
        const error = thrown(() => assertGrantAllowed(requested, held, owner, cap));
        const added = requested.minus(held);
        const offending = added.minus(owner.intersect(cap));
        if (offending.isEmpty) {
          expect(error).toBeNull();
          // what the key then holds beyond what it held is within both ceilings
          expect(requested.minus(held).isSubsetOf(owner.intersect(cap))).toBe(true);
        } else {
          expect(error?.extensions.code).toBe('PERMISSION_CEILING_EXCEEDED');
          // every offending permission is listed, and nothing else
          expect(error?.extensions.permissions).toEqual(offending.toArray());
        }
      }),
    );
  });

  test('R2: keeping (some of) what a key already holds is never refused, even past a lowered ceiling', () => {
    fc.assert(
      fc.property(permissionSet, permissionSet, permissionSet, permissionSet, (held, some, owner, cap) => {
        expect(thrown(() => assertGrantAllowed(held.intersect(some), held, owner, cap))).toBeNull();
      }),
    );
  });
});

describe('R3: the live ceiling', () => {
  test('R3: a key’s effective permissions are its permissions ∩ its owner’s current ones', () => {
    fc.assert(
      fc.property(permissionSet, permissionSet, (key, owner) => {
        const effective = effectiveAtHome(key, owner);
        expect(effective.bits).toBe(key.bits & owner.bits);
        expect(effective.isSubsetOf(key)).toBe(true);
        expect(effective.isSubsetOf(owner)).toBe(true);
      }),
    );
  });

  test('R3: when the owner loses permissions, the key loses them at once and gains nothing', () => {
    fc.assert(
      fc.property(permissionSet, permissionSet, permissionSet, (key, owner, removed) => {
        const before = effectiveAtHome(key, owner);
        const after = effectiveAtHome(key, owner.minus(removed));
        expect(after.isSubsetOf(before)).toBe(true);
        expect(after.intersect(removed).isEmpty).toBe(true);
      }),
    );
  });
});

describe('R17 and R22: at a client', () => {
  test('R17: an accountant key’s effective permissions at a client are empty unless every condition holds', () => {
    fc.assert(
      fc.property(conditions, permissionSet, permissionSet, permissionSet, (c, key, owner, template) => {
        const effective = keyEffectiveAtClient(c, key, owner, template);
        const allHold = c.keyActive && c.linked && c.apiAccess && c.officeIntegrationsActive;
        expect(clientAccessRefusal(c) === null).toBe(allHold);
        if (!allHold) expect(effective.isEmpty).toBe(true);
        else expect(effective.bits).toBe(key.bits & owner.bits & template.bits & ~ADMINISTRATION.bits);
      }),
    );
  });

  test('R17: what a key can do at a client is within the key, the owner and the template', () => {
    fc.assert(
      fc.property(permissionSet, permissionSet, permissionSet, (key, owner, template) => {
        const effective = effectiveAtClient(key, owner, template);
        for (const bound of [key, owner, template]) expect(effective.isSubsetOf(bound)).toBe(true);
      }),
    );
  });

  test('R22: no administration permission takes effect at a client, whatever the template, key or owner hold', () => {
    fc.assert(
      fc.property(permissionSet, permissionSet, permissionSet, (key, owner, template) => {
        const effective = effectiveAtClient(key, owner, template);
        for (const p of [Permission.USER_ADMIN, Permission.ACCOUNT_ADMIN, Permission.CLIENT_ADMIN]) {
          expect(effective.has(p)).toBe(false);
        }
        // and nothing else is taken away
        expect(effective.union(ADMINISTRATION).bits).toBe(
          (key.bits & owner.bits & template.bits) | ADMINISTRATION.bits,
        );
      }),
    );
  });

  test('R22: a template is refused exactly when it holds an administration permission, naming each one', () => {
    fc.assert(
      fc.property(permissionSet, (template) => {
        const error = thrown(() => assertTemplatePermissions(template));
        const admin = template.intersect(ADMINISTRATION);
        if (admin.isEmpty) expect(error).toBeNull();
        else {
          expect(error?.extensions.code).toBe('BAD_USER_INPUT');
          for (const p of ADMINISTRATION.toArray()) expect(error!.message.includes(p)).toBe(admin.has(p));
        }
      }),
    );
  });
});

describe('R24: the last administrators', () => {
  test('R24: a role is without an active holder exactly when nobody holds it together with LOGIN', () => {
    fc.assert(
      fc.property(fc.array(permissionSet, { maxLength: 6 }), (everyone) => {
        const missing = rolesWithoutActiveHolder(everyone);
        for (const role of [Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN]) {
          const held = everyone.some((p) => p.has(role) && p.has(Permission.LOGIN));
          expect(missing.includes(role)).toBe(!held);
        }
      }),
    );
  });
});

describe('R26: transitive revocation', () => {
  /** A random key graph: each key may have been created by, and have its secret obtained by, another key. */
  const keyGraph = fc.integer({ min: 1, max: 25 }).chain((n) =>
    fc
      .array(
        fc.record({
          creator: fc.option(fc.nat(n - 1), { nil: null }),
          issuer: fc.option(fc.nat(n - 1), { nil: null }),
        }),
        { minLength: n, maxLength: n },
      )
      .map((edges) =>
        edges.map((e, i) => ({
          id: `k${i}`,
          createdByUserKeyId: e.creator === null ? null : `k${e.creator}`,
          secretIssuedByUserKeyId: e.issuer === null ? null : `k${e.issuer}`,
        })),
      ),
  );

  test('R26: revoking keys revokes exactly them and everything they reach through creation or an obtained secret, recursively', async () => {
    await fc.assert(
      fc.asyncProperty(keyGraph, fc.array(fc.nat(24), { minLength: 1, maxLength: 3 }), async (keys, rootIndexes) => {
        const roots = [...new Set(rootIndexes.map((i) => keys[i % keys.length].id))];
        const revoked = new Set(
          await revocationClosure(roots, async (parents) =>
            keys.filter((k) => isRevokedWith(k, new Set(parents))).map((k) => k.id),
          ),
        );
        // the roots go, and no active key is left whose creator or secret's obtainer went
        for (const root of roots) expect(revoked.has(root)).toBe(true);
        for (const key of keys) if (isRevokedWith(key, revoked)) expect(revoked.has(key.id)).toBe(true);
        // nothing else goes: each revoked key is a root or reached from one along the edges
        const reached = new Set(roots);
        for (let grew = true; grew;) {
          grew = false;
          for (const key of keys) {
            if (!reached.has(key.id) && isRevokedWith(key, reached)) {
              reached.add(key.id);
              grew = true;
            }
          }
        }
        expect([...revoked].sort()).toEqual([...reached].sort());
      }),
    );
  });
});
