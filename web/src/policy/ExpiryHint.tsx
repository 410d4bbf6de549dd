import type { KeyPolicyFieldsFragment } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';

/** What the company's key policy asks of an expiry date, in words next to the field. */
export function ExpiryHint({ id, policy }: { id: string; policy: KeyPolicyFieldsFragment | null }) {
  const { t, tf } = useI18n();
  const parts = [
    policy?.requireExpiry ? t('policyRequiresExpiry') : '',
    policy?.maxLifetimeDays ? tf('policyMaxLifetime', { days: policy.maxLifetimeDays }) : '',
    policy?.expireUnusedAfterDays ? tf('policyUnused', { days: policy.expireUnusedAfterDays }) : '',
  ].filter(Boolean);
  return (
    <p id={id} className="hint">
      {parts.join(' ')}
    </p>
  );
}
