import type { EntityManager } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import { Permission, PermissionSet } from '../../auth/permission';
import type { Database } from '../../db/database';
import { Conflict, NotFound, PermissionCeilingExceeded } from '../../shared/errors';
import { likePattern } from '../../shared/like';
import { paginate, type Page, type PageArgs } from '../../shared/pagination';
import { appendAudit } from '../audit/audit-log';
import { Employee } from './employee.entity';

/**
 * Reads an employee row with a write lock where the dialect has one (MySQL/MariaDB), so a key's
 * permission edit and a change of its owner's permissions cannot interleave. SQLite transactions
 * are already exclusive.
 */
export async function lockEmployee(manager: EntityManager, id: string): Promise<Employee | null> {
  const query = manager.createQueryBuilder(Employee, 'e').where('e.id = :id', { id });
  if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
  return query.getOne();
}

/** Whether another employee of the company holds the permission (a company never loses its last admin). */
async function hasOtherHolder(manager: EntityManager, employee: Employee, permission: Permission): Promise<boolean> {
  const count = await manager
    .createQueryBuilder(Employee, 'e')
    .where('e.companyId = :companyId AND e.id <> :id AND (e.permissionBits & :bit) <> 0', {
      companyId: employee.companyId,
      id: employee.id,
      bit: PermissionSet.of([permission]).bits,
    })
    .getCount();
  return count > 0;
}

/** The employee register of the acting company, and the user administrator's permission editing. */
export class EmployeeService {
  constructor(private readonly db: Database) {}

  list(acting: AuthenticatedActing, search: string | null | undefined, page: PageArgs): Promise<Page<Employee>> {
    const query = this.db.manager
      .createQueryBuilder(Employee, 'e')
      .where('e.companyId = :companyId', { companyId: acting.company.id });
    if (search?.trim()) {
      query.andWhere("(e.name LIKE :q ESCAPE '!' OR e.email LIKE :q ESCAPE '!')", { q: likePattern(search) });
    }
    return paginate(query, page, [{ expression: 'e.id', value: (e) => e.id }]);
  }

  /** An employee of the acting company; any other company's employee is NOT_FOUND. */
  async get(acting: AuthenticatedActing, id: string, manager: EntityManager = this.db.manager): Promise<Employee> {
    const employee = await manager.findOneBy(Employee, { id, companyId: acting.company.id });
    if (!employee) throw new NotFound('Employee', id);
    return employee;
  }

  /**
   * Sets an employee's permissions (USER_ADMIN). An administrator can only add permissions they
   * hold themselves; removals take effect on every key of the employee at once (R3).
   */
  async setPermissions(acting: AuthenticatedActing, id: string, permissions: Permission[]): Promise<Employee> {
    const requested = PermissionSet.of(permissions);
    return this.db.transaction(async (manager) => {
      const employee = await lockEmployee(manager, id);
      if (!employee || employee.companyId !== acting.company.id) throw new NotFound('Employee', id);
      const current = employee.permissionSet;
      const added = requested.minus(current);
      const removed = current.minus(requested);
      // an administrator changes only permissions they hold: no granting beyond oneself, and no
      // demoting someone of what one does not have (a user admin cannot strip an account admin)
      const beyond = added.union(removed).minus(acting.permissions);
      if (!beyond.isEmpty) throw new PermissionCeilingExceeded(beyond.toArray(), 'your own access', 'change');
      for (const admin of [Permission.USER_ADMIN, Permission.ACCOUNT_ADMIN]) {
        if (removed.has(admin) && !(await hasOtherHolder(manager, employee, admin))) {
          throw new Conflict(
            `${employee.name} is the company’s last employee with ${admin}; give it to someone else first.`,
          );
        }
      }
      employee.permissionBits = requested.bits;
      await manager.update(Employee, { id }, { permissionBits: requested.bits });
      await appendAudit(manager, acting, {
        action: 'employee.setPermissions',
        companyId: acting.company.id,
        targetType: 'Employee',
        targetId: id,
        details: { added: added.toArray(), removed: removed.toArray() },
      });
      return employee;
    });
  }
}
