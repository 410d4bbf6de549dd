import type { ActingContext } from '../../auth/acting-context';
import { decoyHash, verifyPassword } from '../../auth/password';
import { SESSION_PREFIX, issueSecret } from '../../auth/secrets';
import type { Database } from '../../db/database';
import { assertLoginAllowed } from '../../rules/people';
import { BadUserInput } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { Employee } from '../employees/employee.entity';
import { Session } from './session.entity';
import { sessionRepository } from './session.repository';

/** The longest email (RFC 5321); a longer one names no account. */
export const MAX_EMAIL_LENGTH = 254;
/** The longest password checked; scrypt over a megabyte only costs CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Refuses an empty or over-long email or password before anything looks it up or counts it. */
export function checkLoginInput(email: string, password: string): void {
  if (!email.trim() || !password) throw new BadUserInput('email and password are required');
  if (email.length > MAX_EMAIL_LENGTH)
    throw new BadUserInput([{ field: 'email', message: `at most ${MAX_EMAIL_LENGTH} characters` }]);
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new BadUserInput([{ field: 'password', message: `at most ${MAX_PASSWORD_LENGTH} characters` }]);
}

/**
 * Who a login's limits belong to: the account the email resolves to or, for an email with no
 * account, its spelling folded the way the database folds it (accents and width ignored).
 */
export function loginIdentity(email: string, account: Employee | null): string {
  if (account) return `account:${account.id}`;
  const folded = email.trim().normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFKC').toLowerCase();
  return `email:${folded}`;
}

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

  /**
   * The account an email names, as the database matches it: MariaDB's collation ignores accents
   * and letter width, so `olä@…` finds `ola@…`; login limits are kept per account, not per spelling.
   */
  findAccount(email: string): Promise<Employee | null> {
    const address = email.trim().toLowerCase();
    if (!address || address.length > MAX_EMAIL_LENGTH) return Promise.resolve(null);
    return this.db.manager.findOneBy(Employee, { email: address });
  }

  /** Checks the password (scrypt) of the account found for the email and opens a session (R23). */
  async login(account: Employee | null, password: string, now: Date): Promise<LoginResult> {
    // verify against a decoy when the email is unknown, so timing does not reveal which emails exist
    const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
    assertLoginAllowed(account, ok);
    const employee = account;
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
    await sessionRepository(this.db.manager).deleteExpiredOf(employee.id, now);
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
