import { stringEnum, type EnumValue } from './string-enum';

/**
 * The permission catalog. The ORDER IS STORAGE: a permission's position is its bit in every stored
 * permission set, so new permissions are appended, never inserted or reordered.
 */
export const Permission = stringEnum([
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
export type Permission = EnumValue<typeof Permission>;

export interface PermissionLabel {
  permission: Permission;
  label: string;
  labelNo: string;
  description: string;
}

/** The catalog with English and Norwegian labels, in storage order. */
export const PERMISSION_CATALOG: readonly PermissionLabel[] = [
  {
    permission: Permission.LOGIN,
    label: 'Log in',
    labelNo: 'Logge inn',
    description: 'Sign in to the accounting system.',
  },
  {
    permission: Permission.HOURS_REGISTER,
    label: 'Register hours',
    labelNo: 'Føre timer',
    description: 'Register and read one’s own hours.',
  },
  {
    permission: Permission.HOURS_READ_ALL,
    label: 'Read all hours',
    labelNo: 'Se alle timer',
    description: 'Read every employee’s hours.',
  },
  {
    permission: Permission.CUSTOMER_READ,
    label: 'Read customers',
    labelNo: 'Se kunder',
    description: 'Read the customer register.',
  },
  {
    permission: Permission.CUSTOMER_WRITE,
    label: 'Manage customers',
    labelNo: 'Registrere og endre kunder',
    description: 'Create and edit customers.',
  },
  {
    permission: Permission.INVOICE_READ,
    label: 'Read invoices',
    labelNo: 'Se fakturaer',
    description: 'Read outgoing invoices.',
  },
  {
    permission: Permission.INVOICE_WRITE,
    label: 'Create invoices',
    labelNo: 'Opprette fakturaer',
    description: 'Create outgoing invoices.',
  },
  {
    permission: Permission.EMPLOYEE_READ,
    label: 'Read employees',
    labelNo: 'Se ansatte',
    description: 'Read the employee register and employees’ access.',
  },
  { permission: Permission.PAYROLL_READ, label: 'Read payroll', labelNo: 'Se lønn', description: 'Read salaries.' },
  {
    permission: Permission.USER_ADMIN,
    label: 'User administrator',
    labelNo: 'Brukeradministrator',
    description: 'Manage other employees’ access and keys.',
  },
  {
    permission: Permission.ACCOUNT_ADMIN,
    label: 'Account administrator',
    labelNo: 'Kontoadministrator',
    description: 'Manage the company account and its add-ons.',
  },
  {
    permission: Permission.CLIENT_ADMIN,
    label: 'Client administrator',
    labelNo: 'Klientadministrator',
    description: 'Manage the accounting office’s clients, templates and client links.',
  },
];

const ALL_PERMISSIONS: readonly Permission[] = PERMISSION_CATALOG.map((p) => p.permission);
const BIT = new Map<Permission, number>(ALL_PERMISSIONS.map((p, i) => [p, 1 << i]));
const FULL_MASK = (1 << ALL_PERMISSIONS.length) - 1;

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && BIT.has(value as Permission);
}

/** An immutable set of permissions, stored as a bit mask; intersection is one AND. */
export class PermissionSet {
  static readonly EMPTY = new PermissionSet(0);
  static readonly ALL = new PermissionSet(FULL_MASK);

  private constructor(readonly bits: number) {
    Object.freeze(this);
  }

  static of(permissions: Iterable<Permission>): PermissionSet {
    let bits = 0;
    for (const p of permissions) {
      const bit = BIT.get(p);
      if (bit === undefined) throw new TypeError(`Unknown permission ${String(p)}`);
      bits |= bit;
    }
    return PermissionSet.fromBits(bits);
  }

  static fromBits(bits: number): PermissionSet {
    const masked = bits & FULL_MASK;
    if (masked === 0) return PermissionSet.EMPTY;
    if (masked === FULL_MASK) return PermissionSet.ALL;
    return new PermissionSet(masked);
  }

  has(permission: Permission): boolean {
    return (this.bits & (BIT.get(permission) ?? 0)) !== 0;
  }

  intersect(other: PermissionSet): PermissionSet {
    return PermissionSet.fromBits(this.bits & other.bits);
  }

  union(other: PermissionSet): PermissionSet {
    return PermissionSet.fromBits(this.bits | other.bits);
  }

  minus(other: PermissionSet): PermissionSet {
    return PermissionSet.fromBits(this.bits & ~other.bits);
  }

  isSubsetOf(other: PermissionSet): boolean {
    return (this.bits & ~other.bits) === 0;
  }

  get isEmpty(): boolean {
    return this.bits === 0;
  }

  /** The permissions in catalog order. */
  toArray(): Permission[] {
    return ALL_PERMISSIONS.filter((p) => this.has(p));
  }
}
