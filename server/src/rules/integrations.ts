import type { CompanyRecord } from '../shared/records';
import { BadUserInput, IntegrationsNotActive } from '../shared/errors';
import { Permission } from '../shared/permission';

/** R11: who may activate the Integrations add-on: an account or user administrator. */
export const ACTIVATES_INTEGRATIONS: readonly [Permission, ...Permission[]] = [
  Permission.ACCOUNT_ADMIN,
  Permission.USER_ADMIN,
];

/** R11: activation needs the terms accepted (acceptTerms: true). */
export function assertTermsAccepted(acceptTerms: boolean): void {
  if (acceptTerms !== true) {
    throw new BadUserInput([
      { field: 'acceptTerms', message: 'the terms must be accepted (true) to activate Integrations' },
    ]);
  }
}

/** R11: no key exists, or works, in a company whose Integrations add-on is not active. */
export function assertIntegrationsActive(company: Pick<CompanyRecord, 'name' | 'integrationsActivatedAt'>): void {
  if (company.integrationsActivatedAt == null) throw new IntegrationsNotActive(company.name);
}

/**
 * R12: a key works while its own company's add-on is active — for an accountant key the accounting
 * office's. The client's add-on is never asked for: a client activates nothing for its office's keys.
 */
export function assertKeyIntegrationsActive(home: Pick<CompanyRecord, 'name' | 'integrationsActivatedAt'>): void {
  assertIntegrationsActive(home);
}
