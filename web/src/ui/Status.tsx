import type { UserKeyStatus } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';

/** A key's status in words and colour (never colour alone). */
export function Status({ status }: { status: UserKeyStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status === 'ACTIVE' ? 'ok' : 'bad'}`}>{t(`status${status}`)}</span>;
}

/** Yes (green) or no with the reason (red). */
export function Reach({ ok, label }: { ok: boolean; label: string }) {
  return <span className={`badge badge-${ok ? 'ok' : 'bad'}`}>{label}</span>;
}
