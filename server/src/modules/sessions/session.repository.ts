import { defineRepository } from '../../db/repository';
import { Session } from './session.entity';

/** The login sessions. */
export const sessionRepository = defineRepository(Session, {
  /** Housekeeping on login: the employee's expired sessions go, in one statement. */
  async deleteExpiredOf(employeeId: string, now: Date): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .delete()
      .from(Session)
      .where('employee_id = :id AND expires_at <= :now', { id: employeeId, now })
      .execute();
  },
});
