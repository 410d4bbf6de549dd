import type { AuthenticatedActing } from '../../auth/acting-context';
import type { Database } from '../../db/database';
import { assertTermsAccepted } from '../../rules/integrations';
import { NotFound } from '../../shared/errors';
import { auditOwnChange } from '../audit/audit-log';
import { Company } from './company.entity';
import { companyRepository } from './company.repository';

/** The version of the Integrations terms an administrator accepts on activation. */
export const INTEGRATIONS_TERMS_VERSION = '2026-01';

/** The acting company and its Integrations add-on. */
export class CompanyService {
  constructor(private readonly db: Database) {}

  /**
   * R11: activates the Integrations add-on for the acting company, recording who, when and which
   * terms. Activating twice changes nothing. (R12: an office's activation covers its accountant
   * keys at every client; clients activate nothing.)
   */
  async activateIntegrations(acting: AuthenticatedActing, acceptTerms: boolean, now: Date): Promise<Company> {
    assertTermsAccepted(acceptTerms);
    return this.db.transaction(async (manager) => {
      const activated = await companyRepository(manager).activateIntegrationsOnce(
        acting.company.id,
        acting.employee.id,
        INTEGRATIONS_TERMS_VERSION,
        now,
      );
      if (activated) {
        await auditOwnChange(
          manager,
          acting,
          'company.activateIntegrations',
          { type: 'Company', id: acting.company.id },
          { termsVersion: INTEGRATIONS_TERMS_VERSION },
          now,
        );
      }
      const company = await manager.findOneBy(Company, { id: acting.company.id });
      if (!company) throw new NotFound('Company', acting.company.id);
      return company;
    });
  }
}
