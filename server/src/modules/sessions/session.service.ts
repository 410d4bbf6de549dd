import type { ActingContext } from '../../auth/acting-context';
import { decoyHash, verifyPassword } from '../../auth/password';
import { Permission } from '../../auth/permission';
import { SESSION_PREFIX, issueSecret } from '../../auth/secrets';
import type { Database } from '../../db/database';
import { BadUserInput, Forbidden, Unauthenticated } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { Employee } from '../employees/employee.entity';
import { Session } from './session.entity';

export interface LoginResult {
  token: string;
  employee: Employee;
  expiresAt: Date;
}

/** Login and logout with session tokens (SPEC section 3). */
export class SessionService {
  constructor(
    private readonly db: Database,
    private readonly ttlHours: number,
  ) {}

  /** Checks the password (scrypt) and opens a session; the token is returned once and stored hashed. */
  async login(email: string, password: string, now: Date): Promise<LoginResult> {
    if (!email.trim() || !password) throw new BadUserInput('email and password are required');
    const employee = await this.db.manager.findOneBy(Employee, { email: email.trim().toLowerCase() });
    // verify against a decoy when the email is unknown, so timing does not reveal which emails exist
    const ok = await verifyPassword(password, employee?.passwordHash ?? (await decoyHash()));
    if (!employee || !employee.passwordHash || !ok) throw new Unauthenticated('Wrong email or password.');
    if (!employee.permissionSet.has(Permission.LOGIN)) {
      throw new Forbidden('This employee does not have the LOGIN permission.');
    }
    const secret = issueSecret(SESSION_PREFIX);
    const expiresAt = new Date(now.getTime() + this.ttlHours * 3600_000);
    await this.db.manager.insert(Session, {
      id: newId('session'),
      employeeId: employee.id,
      tokenHash: secret.hash,
      createdAt: now,
      expiresAt,
    });
    // housekeeping: the employee's expired sessions go when they log in again
    await this.db.manager
      .createQueryBuilder()
      .delete()
      .from(Session)
      .where('employee_id = :id AND expires_at <= :now', { id: employee.id, now })
      .execute();
    return { token: secret.token, employee, expiresAt };
  }

  /** Ends the calling session. A key cannot log out: it is revoked instead. */
  async logout(acting: ActingContext): Promise<boolean> {
    if (acting.credential !== 'session' || !acting.sessionId) {
      throw new BadUserInput('logout ends a session; a key is ended with revokeUserKey.');
    }
    await this.db.manager.delete(Session, { id: acting.sessionId });
    return true;
  }
}
