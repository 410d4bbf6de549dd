import { Permission, PERMISSION_CATALOG, PermissionSet } from '../../server/src/auth/permission';

describe('PermissionSet', () => {
  test('the catalog order is the storage order and must never change', () => {
    // appending is fine; reordering would silently change every stored permission set
    expect(PERMISSION_CATALOG.map((p) => p.permission)).toEqual([
      'LOGIN',
      'HOURS_REGISTER',
      'HOURS_READ_ALL',
      'CUSTOMER_READ',
      'CUSTOMER_WRITE',
      'INVOICE_READ',
      'INVOICE_WRITE',
      'EMPLOYEE_READ',
      'PAYROLL_READ',
      'USER_ADMIN',
      'ACCOUNT_ADMIN',
      'CLIENT_ADMIN',
    ]);
    expect(PermissionSet.of([Permission.LOGIN, Permission.CLIENT_ADMIN]).bits).toBe(1 | (1 << 11));
  });

  test('set operations', () => {
    const a = PermissionSet.of([Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ]);
    const b = PermissionSet.of([Permission.CUSTOMER_READ, Permission.PAYROLL_READ]);
    expect(a.intersect(b).toArray()).toEqual(['CUSTOMER_READ']);
    expect(a.union(b).toArray()).toEqual(['LOGIN', 'CUSTOMER_READ', 'INVOICE_READ', 'PAYROLL_READ']);
    expect(a.minus(b).toArray()).toEqual(['LOGIN', 'INVOICE_READ']);
    expect(a.intersect(b).isSubsetOf(a)).toBe(true);
    expect(b.isSubsetOf(a)).toBe(false);
    expect(PermissionSet.EMPTY.isEmpty).toBe(true);
    expect(PermissionSet.ALL.toArray()).toHaveLength(12);
  });

  test('unknown bits are dropped and unknown names refused', () => {
    expect(PermissionSet.fromBits(0xffffff).bits).toBe(PermissionSet.ALL.bits);
    expect(() => PermissionSet.of(['ROOT' as Permission])).toThrow(/Unknown permission/);
  });

  test('sets are immutable', () => {
    const set = PermissionSet.of([Permission.LOGIN]);
    expect(() => Object.assign(set, { bits: 4095 })).toThrow();
  });
});
