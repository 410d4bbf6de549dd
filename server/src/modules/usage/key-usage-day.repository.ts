import { dialectOf, onDuplicateUpdate } from '../../db/dialect';
import { defineRepository } from '../../db/repository';
import { KeyUsageDay } from './key-usage-day.entity';

/** A key's requests at one company on one day, counted in memory, to add to the day's row. */
export interface DayCount {
  userKeyId: string;
  day: string;
  companyId: string;
  requests: number;
  errors: number;
  permissionBits: number;
}

/** R34: the per-day usage rows of the keys. */
export const keyUsageDayRepository = defineRepository(KeyUsageDay, {
  /** Adds the counts to the day rows (created when missing), OR-ing the permissions: one statement. */
  async add(counts: DayCount[]): Promise<void> {
    const values = counts.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
    const merge = onDuplicateUpdate(dialectOf(this.manager), ['user_key_id', 'day', 'company_id'], {
      requests: (current, incoming) => `${current} + ${incoming}`,
      errors: (current, incoming) => `${current} + ${incoming}`,
      permission_bits: (current, incoming) => `${current} | ${incoming}`,
    });
    await this.manager.query(
      `INSERT INTO key_usage_day (user_key_id, day, company_id, requests, errors, permission_bits) VALUES ${values} ${merge}`,
      counts.flatMap((r) => [r.userKeyId, r.day, r.companyId, r.requests, r.errors, r.permissionBits]),
    );
  },
});
