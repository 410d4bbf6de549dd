import type { EntityManager } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import { Permission, PermissionSet } from '../../auth/permission';
import type { Database } from '../../db/database';
import {
  assertKeepsAdministrators,
  assertMayChangePermissions,
  isDeactivated,
  keysCeilingOf,
  KEPT_ROLES,
} from '../../rules/people';
import { NotFound } from '../../shared/errors';
import { type Page, type PageArgs } from '../../shared/pagination';
import { appendAudit } from '../audit/audit-log';
import { emitPermissionsReduced } from '../events/permissions-reduced';
import { companyRepository } from '../companies/company.repository';
import { Session } from '../sessions/session.entity';
import { Employee } from './employee.entity';
import { employeeRepository } from './employee.repository';

/**
 * R24: the permissions of the company's other employees that hold a kept role, read under lock
 * after the company's row: changes of one company's permissions take the company row first, so two
 * administrators demoting each other at the same moment run one after the other, and the second
 * sees the first's change.
 */
async function lockAdministrators(
  manager: EntityManager,
  companyId: string,
  exceptId: string,
): Promise<PermissionSet[]> {
  await companyRepository(manager).lockedForChange(companyId);
  const holders = await employeeRepository(manager).lockedHoldersOf(
    companyId,
    exceptId,
    PermissionSet.of(KEPT_ROLES).bits,
  );
  return holders.map((e) => e.permissionSet);
}

/** The employee register of the acting company, and the user administrator's permission editing. */
export class EmployeeService {
  constructor(private readonly db: Database) {}

  list(acting: AuthenticatedActing, search: string | null | undefined, page: PageArgs): Promise<Page<Employee>> {
    return employeeRepository(this.db.manager).pageOfCompany(acting.company.id, search, page);
  }

  /** An employee of the acting company; any other company's employee is NOT_FOUND. */
  async get(acting: AuthenticatedActing, id: string, manager: EntityManager = this.db.manager): Promise<Employee> {
    const employee = await manager.findOneBy(Employee, { id, companyId: acting.company.id });
    if (!employee) throw new NotFound('Employee', id);
    return employee;
  }

  /**
   * Sets an employee's permissions (USER_ADMIN). An administrator changes only permissions they
   * hold, and deactivates nobody who outranks them (R24); the company keeps an active account and
   * user administrator (R24); removals take effect on every key of the employee at once (R3), and
   * without LOGIN the employee's sessions and keys stop (R23).
   */
  async setPermissions(acting: AuthenticatedActing, id: string, permissions: Permission[]): Promise<Employee> {
    const requested = PermissionSet.of(permissions);
    return this.db.transaction(async (manager) => {
      const others = await lockAdministrators(manager, acting.company.id, id);
      const employee = await employeeRepository(manager).lockedById(id);
      if (!employee || employee.companyId !== acting.company.id) throw new NotFound('Employee', id);
      const current = employee.permissionSet;
      assertMayChangePermissions(acting.permissions, employee.name, current, requested);
      assertKeepsAdministrators(employee.name, current, requested, others);
      employee.permissionBits = requested.bits;
      await manager.update(Employee, { id }, { permissionBits: requested.bits });
      // R35: what the employee's keys lose with them (all of it when LOGIN goes), one statement
      await emitPermissionsReduced(manager, {
        cause: 'OWNER_PERMISSIONS',
        ownerId: id,
        before: keysCeilingOf(current),
        after: keysCeilingOf(requested),
      });
      // R23: deactivation ends the employee's sessions (their keys stop while LOGIN is missing)
      if (isDeactivated(requested) && !isDeactivated(current)) await manager.delete(Session, { employeeId: id });
      await appendAudit(manager, acting, {
        action: 'employee.setPermissions',
        companyId: acting.company.id,
        targetType: 'Employee',
        targetId: id,
        details: { added: requested.minus(current).toArray(), removed: current.minus(requested).toArray() },
      });
      return employee;
    });
  }
}
