import { locked, lockedRow } from '../../db/dialect';
import { paginate } from '../../db/pagination';
import { defineRepository } from '../../db/repository';
import { likePattern } from '../../shared/like';
import type { Page, PageArgs } from '../../shared/pagination';
import { Employee } from './employee.entity';

/** The employees' rows. */
export const employeeRepository = defineRepository(Employee, {
  /**
   * An employee, locked for writing where the dialect has row locks (MySQL/MariaDB), so a key's
   * permission edit and a change of its owner's permissions cannot interleave. SQLite transactions
   * are already exclusive.
   */
  lockedById(id: string): Promise<Employee | null> {
    return lockedRow(this.manager, Employee, { id }, 'pessimistic_write');
  },

  /** An employee of the company, locked for writing: a link call holds its grantee (R16). */
  lockedInCompany(id: string, companyId: string): Promise<Employee | null> {
    return lockedRow(this.manager, Employee, { id, companyId }, 'pessimistic_write');
  },

  /**
   * R24: the company's other employees holding any of the `roles` bits, locked for writing in id
   * order (a fixed order: two such reads never deadlock).
   */
  lockedHoldersOf(companyId: string, exceptId: string, roles: number): Promise<Employee[]> {
    return locked(
      this.manager
        .createQueryBuilder(Employee, 'e')
        .where('e.companyId = :companyId AND e.id <> :exceptId AND (e.permissionBits & :roles) <> 0', {
          companyId,
          exceptId,
          roles,
        })
        .orderBy('e.id'),
      'pessimistic_write',
    ).getMany();
  },

  /** A page of the company's employees by id, optionally searched in name and email. */
  pageOfCompany(companyId: string, search: string | null | undefined, page: PageArgs): Promise<Page<Employee>> {
    const query = this.manager.createQueryBuilder(Employee, 'e').where('e.companyId = :companyId', { companyId });
    if (search?.trim()) {
      query.andWhere("(e.name LIKE :q ESCAPE '!' OR e.email LIKE :q ESCAPE '!')", { q: likePattern(search) });
    }
    return paginate(query, page, [{ expression: 'e.id', value: (e) => e.id }]);
  },
});
