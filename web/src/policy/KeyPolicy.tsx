import { useEffect, useState, type FormEvent } from 'react';
import { WebKeyPolicyDocument, WebSetKeyPolicyDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { useQuery } from '../session/use-query';
import { ErrorText } from '../ui/ErrorText';

/** A whole number of days, or null for an empty field. */
function days(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

/**
 * "Nøkkelpolicy" (R29): whether every key needs an expiry date, the longest lifetime, and after how
 * many unused days a key expires. The server refuses keys outside it; the forms of "Ny nøkkel" and
 * the key page read it to guide the expiry field.
 */
export function KeyPolicy() {
  const { t } = useI18n();
  const { client } = useSession();
  const { data, error } = useQuery(WebKeyPolicyDocument, {});
  const [requireExpiry, setRequireExpiry] = useState(false);
  const [maxLifetime, setMaxLifetime] = useState('');
  const [unused, setUnused] = useState('');
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const policy = data?.company.keyPolicy;
  useEffect(() => {
    if (!policy) return;
    setRequireExpiry(policy.requireExpiry);
    setMaxLifetime(policy.maxLifetimeDays?.toString() ?? '');
    setUnused(policy.expireUnusedAfterDays?.toString() ?? '');
  }, [policy]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setSaveError(null);
    setSaved(false);
    try {
      const { setKeyPolicy } = await client.request(WebSetKeyPolicyDocument, {
        input: { requireExpiry, maxLifetimeDays: days(maxLifetime), expireUnusedAfterDays: days(unused) },
      });
      setMaxLifetime(setKeyPolicy.maxLifetimeDays?.toString() ?? '');
      setUnused(setKeyPolicy.expireUnusedAfterDays?.toString() ?? '');
      setSaved(true);
    } catch (e) {
      setSaveError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('policyTitle')}</h1>
      <p className="intro">{t('policyIntro')}</p>
      <ErrorText error={error} />
      <form className="form card" onSubmit={save} aria-labelledby="policy-form-title" aria-busy={!data}>
        <h2 id="policy-form-title" className="visually-hidden">
          {t('policyTitle')}
        </h2>
        <div className="check">
          <input
            id="policy-require-expiry"
            type="checkbox"
            checked={requireExpiry}
            onChange={(e) => setRequireExpiry(e.target.checked)}
          />
          <label htmlFor="policy-require-expiry">{t('requireExpiry')}</label>
        </div>
        <DaysField
          id="policy-max-lifetime"
          label={t('maxLifetimeDays')}
          help={t('maxLifetimeHelp')}
          value={maxLifetime}
          onChange={setMaxLifetime}
        />
        <DaysField
          id="policy-unused"
          label={t('expireUnusedAfterDays')}
          help={t('expireUnusedHelp')}
          value={unused}
          onChange={setUnused}
        />
        <ErrorText error={saveError} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !data}>
            {busy ? t('saving') : t('savePolicy')}
          </button>
          <span role="status" className="status-line">
            {saved ? t('policySaved') : ''}
          </span>
        </div>
      </form>
    </>
  );
}

/** A number of days (1–3650, empty for none), with its label and the hint that explains it. */
function DaysField(props: {
  id: string;
  label: string;
  help: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { id, label, help, value, onChange } = props;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        max={3650}
        step={1}
        value={value}
        aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-help`} className="hint">
        {help}
      </p>
    </>
  );
}
