import { useState, type FormEvent } from 'react';
import { WebSetKeyExpiryDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { expiryBounds, expiryInstant, localDay, useKeyPolicy } from '../policy/key-policy';
import { ExpiryHint } from '../policy/ExpiryHint';
import { useSession } from '../session/session';
import { ErrorText } from '../ui/ErrorText';

/** A key's expiry date changed within the company's key policy (R29); the server has the last word. */
export function KeyExpiry({
  id,
  expiresAt,
  onChanged,
}: {
  id: string;
  expiresAt: string | null;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const policy = useKeyPolicy();
  const bounds = expiryBounds(policy);
  const [day, setDay] = useState(expiresAt ? localDay(new Date(expiresAt)) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function save(to: string | null) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await client.request(WebSetKeyExpiryDocument, { id, expiresAt: to });
      setSaved(true);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (day) void save(expiryInstant(day, policy));
  }

  return (
    <section aria-labelledby="expiry-title">
      <h2 id="expiry-title">{t('expiryTitle')}</h2>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="key-new-expiry">{t('newExpiry')}</label>
        <input
          id="key-new-expiry"
          type="date"
          required
          min={bounds.min}
          max={bounds.max}
          value={day}
          aria-describedby="key-new-expiry-hint"
          onChange={(e) => setDay(e.target.value)}
        />
        <button type="submit" disabled={busy || !day}>
          {t('saveExpiry')}
        </button>
        {!bounds.required && expiresAt ? (
          <button type="button" disabled={busy} onClick={() => void save(null)}>
            {t('removeExpiry')}
          </button>
        ) : null}
      </form>
      <ExpiryHint id="key-new-expiry-hint" policy={policy} />
      <p role="status" className="status-line">
        {saved ? t('expirySaved') : ''}
      </p>
      <ErrorText error={error} />
    </section>
  );
}
