import type { ApplicationRecord, CompanyRecord } from '../shared/records';
import { CompanyKind, UserKeyKind } from '../shared/domain-enums';
import { AccountantKeyNotSupported, Forbidden } from '../shared/errors';

/** R13: only an accounting office creates accountant keys (ACCOUNTANT_KEY_NOT_SUPPORTED). */
export function assertMayCreateAccountantKeys(company: Pick<CompanyRecord, 'kind'>): void {
  if (company.kind !== CompanyKind.ACCOUNTING_OFFICE) {
    throw new AccountantKeyNotSupported('Only an accounting office can create accountant keys.');
  }
}

/**
 * R14: an accountant key needs an application that supports accountant keys, or a name typed by
 * hand (no catalog application).
 */
export function assertApplicationSupportsAccountantKeys(
  application: Pick<ApplicationRecord, 'name' | 'supportsAccountantKeys'> | null,
): void {
  if (application && !application.supportsAccountantKeys) {
    throw new AccountantKeyNotSupported(
      `${application.name} does not support accountant keys; choose another application or type a custom application name.`,
    );
  }
}

/** Where a key acts in this request: in its own company, or at a client of its office. */
export type KeyReach = 'home' | 'client';

/**
 * R15: an end-user key acts in its own company only; an accountant key acts only at clients it is
 * linked to, never in the office's own company. `atHome` is whether the request names no other
 * company. Returns where the key acts, or refuses (FORBIDDEN).
 */
export function keyReach(kind: UserKeyKind, atHome: boolean, targetCompanyId: string | null): KeyReach {
  if (kind === UserKeyKind.EMPLOYEE) {
    if (!atHome) throw notActingThere(targetCompanyId ?? '');
    return 'home';
  }
  if (atHome) {
    throw new Forbidden(
      'An accountant key acts only at the clients it is linked to: send X-Company-Id with a client’s ID. The office’s own books need an end-user key.',
    );
  }
  return 'client';
}

/** The same answer whether or not the company exists: no existence leaks across tenants. */
export function notActingThere(companyId: string): Forbidden {
  return new Forbidden(`This credential has no access to company ${companyId}.`);
}
