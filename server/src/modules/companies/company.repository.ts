import { lockedRow } from '../../db/dialect';
import { defineRepository } from '../../db/repository';
import { Company } from './company.entity';

/** The companies' rows: the lock that orders one company's changes, and the Integrations switch. */
export const companyRepository = defineRepository(Company, {
  /**
   * The company's row, locked for writing: changes that count or compare the company's rows (its
   * templates, its administrators) take it first, so concurrent ones run one after the other.
   */
  lockedForChange(id: string): Promise<Company | null> {
    return lockedRow(this.manager, Company, { id }, 'pessimistic_write');
  },

  /**
   * R11: records the activation of the Integrations add-on unless it is already active, in one
   * conditional UPDATE (two activations at once: one records). Whether this one did.
   */
  async activateIntegrationsOnce(id: string, employeeId: string, termsVersion: string, now: Date): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .update(Company)
      .set({
        integrationsActivatedAt: now,
        integrationsActivatedById: employeeId,
        integrationsTermsVersion: termsVersion,
      })
      .where('id = :id AND integrations_activated_at IS NULL', { id })
      .execute();
    return Boolean(result.affected);
  },
});
