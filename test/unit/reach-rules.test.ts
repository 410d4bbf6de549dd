import fc from 'fast-check';
import { effectiveAtClient } from '../../server/src/rules/client-access';
import { canActFilter, isReachRead, personAtClient, reachAtClient } from '../../server/src/rules/reach';
import { ReachBlockedReason } from '../../server/src/shared/domain-enums';
import { PermissionSet } from '../../server/src/shared/permission';

const permissionSet = fc.integer({ min: 0, max: 0xfff }).map((bits) => PermissionSet.fromBits(bits));
const conditions = fc.record({
  keyActive: fc.boolean(),
  ownerActive: fc.boolean(),
  officeIntegrationsActive: fc.boolean(),
  linked: fc.constant(true),
  apiAccess: fc.boolean(),
  blockedByClient: fc.boolean(),
});

test('R32: a node can act exactly when it has no reason, and then holds R17’s effective permissions', () => {
  fc.assert(
    fc.property(conditions, permissionSet, permissionSet, permissionSet, (c, key, owner, template) => {
      const at = reachAtClient(c, key, owner, template);
      expect(at.canAct).toBe(at.blockedReason === null);
      expect(at.effectivePermissions.bits).toBe(
        at.canAct ? effectiveAtClient(key, owner, template).bits : PermissionSet.EMPTY.bits,
      );
      if (at.canAct) expect(at.effectivePermissions.isEmpty).toBe(false);
    }),
  );
});

test('R32: reasons come in the order a request meets them', () => {
  const all = {
    keyActive: false,
    ownerActive: false,
    officeIntegrationsActive: false,
    linked: true,
    apiAccess: false,
    blockedByClient: true,
  };
  const none = PermissionSet.EMPTY;
  const order = [
    [{}, ReachBlockedReason.KEY_NOT_ACTIVE],
    [{ keyActive: true }, ReachBlockedReason.OWNER_DEACTIVATED],
    [{ keyActive: true, ownerActive: true }, ReachBlockedReason.INTEGRATIONS_NOT_ACTIVE],
    [{ keyActive: true, ownerActive: true, officeIntegrationsActive: true }, ReachBlockedReason.API_ACCESS_OFF],
    [
      { keyActive: true, ownerActive: true, officeIntegrationsActive: true, apiAccess: true },
      ReachBlockedReason.BLOCKED_BY_CLIENT,
    ],
    [
      { keyActive: true, ownerActive: true, officeIntegrationsActive: true, apiAccess: true, blockedByClient: false },
      ReachBlockedReason.NO_EFFECTIVE_PERMISSIONS,
    ],
  ] as const;
  for (const [overrides, reason] of order) {
    expect(reachAtClient({ ...all, ...overrides }, none, none, none).blockedReason).toBe(reason);
  }
});

test('R32: the canAct filter the database applies agrees with reachAtClient on every link', () => {
  fc.assert(
    fc.property(conditions, permissionSet, permissionSet, permissionSet, (c, key, owner, template) => {
      const filter = canActFilter(c, key, owner);
      // what the SQL asks: the switch on, no block, the template sharing a permission with the mask
      const sql =
        filter.anyLinkCanAct && c.apiAccess && !c.blockedByClient && !template.intersect(filter.permissionMask).isEmpty;
      expect(sql).toBe(reachAtClient(c, key, owner, template).canAct);
    }),
  );
});

test('R33: a person blocked or deactivated can do nothing at the client; otherwise owner ∩ template', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.boolean(),
      permissionSet,
      permissionSet,
      (ownerActive, blockedByClient, person, template) => {
        const got = personAtClient({ ownerActive, blockedByClient }, person, template);
        const expected =
          ownerActive && !blockedByClient
            ? effectiveAtClient(PermissionSet.ALL, person, template)
            : PermissionSet.EMPTY;
        expect(got.bits).toBe(expected.bits);
      },
    ),
  );
});

test('R32: a reach-only request may select viewer { userKey } and __typename only', () => {
  expect(
    isReachRead('query', [
      { name: 'viewer', children: ['userKey', '__typename'] },
      { name: '__typename', children: [] },
    ]),
  ).toBe(true);
  expect(isReachRead('query', [{ name: 'viewer', children: ['userKey', 'company'] }])).toBe(false);
  expect(
    isReachRead('query', [
      { name: 'viewer', children: ['userKey'] },
      { name: 'customers', children: [] },
    ]),
  ).toBe(false);
  expect(isReachRead('mutation', [{ name: 'viewer', children: ['userKey'] }])).toBe(false);
});
