import { useState } from 'react';
import { WebRestoreKeyDocument, WebRevokeKeyDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { Dialog } from '../ui/Dialog';
import { ErrorText } from '../ui/ErrorText';
import { SecretDialog } from './SecretDialog';

interface Props {
  id: string;
  name: string;
  active: boolean;
  onChanged: () => void;
}

/** The overlaps offered for the old secret, in seconds (the server allows 0 to a week). */
const OVERLAPS = [
  { seconds: 0, label: 'overlapNone' },
  { seconds: 3600, label: 'overlapHour' },
  { seconds: 86_400, label: 'overlapDay' },
  { seconds: 604_800, label: 'overlapWeek' },
] as const;

/**
 * "Gjenopprett nøkkel" (R9): the old secret stops at once, after an overlap (R28), or — when it may
 * have leaked — with everything it created or obtained ("compromised", R27; never with an overlap).
 * Revoke (R10). Each behind a confirmation.
 */
export function RestoreRevoke({ id, name, active, onChanged }: Props) {
  const { t } = useI18n();
  const { client } = useSession();
  const [asking, setAsking] = useState<'restore' | 'revoke' | null>(null);
  const [compromised, setCompromised] = useState(false);
  const [overlap, setOverlap] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      if (asking === 'restore') {
        const { restoreUserKey } = await client.request(WebRestoreKeyDocument, {
          id,
          compromised,
          keepPreviousSecretFor: compromised ? 0 : overlap,
        });
        setSecret(restoreUserKey.token);
      } else {
        await client.request(WebRevokeKeyDocument, { id });
      }
      setAsking(null);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (!active) return null;
  return (
    <div className="actions">
      <button type="button" onClick={() => setAsking('restore')}>
        {t('restoreKey')}
      </button>
      <button type="button" className="danger" onClick={() => setAsking('revoke')}>
        {t('revokeKey')}
      </button>
      {asking ? (
        <Dialog title={asking === 'restore' ? t('restoreTitle') : t('revokeTitle')} onClose={() => setAsking(null)}>
          <p>{asking === 'restore' ? t('restoreExplain') : t('revokeExplain')}</p>
          {asking === 'restore' ? (
            <div className="check">
              <input
                id="restore-compromised"
                type="checkbox"
                checked={compromised}
                onChange={(e) => setCompromised(e.target.checked)}
              />
              <label htmlFor="restore-compromised">{t('compromised')}</label>
            </div>
          ) : null}
          {asking === 'restore' ? (
            <div className="form">
              <label htmlFor="restore-overlap">{t('overlapLabel')}</label>
              <select
                id="restore-overlap"
                value={compromised ? 0 : overlap}
                disabled={compromised}
                aria-describedby="restore-overlap-help"
                onChange={(e) => setOverlap(Number(e.target.value))}
              >
                {OVERLAPS.map((o) => (
                  <option key={o.seconds} value={o.seconds}>
                    {t(o.label)}
                  </option>
                ))}
              </select>
              <p id="restore-overlap-help" className="hint">
                {t('overlapHelp')}
              </p>
            </div>
          ) : null}
          <ErrorText error={error} />
          <div className="actions">
            <button type="button" onClick={() => setAsking(null)}>
              {t('cancel')}
            </button>
            <button
              type="button"
              className={asking === 'revoke' ? 'danger' : 'primary'}
              disabled={busy}
              onClick={() => void confirm()}
            >
              {asking === 'restore' ? t('restoreConfirm') : t('revokeConfirm')}
            </button>
          </div>
        </Dialog>
      ) : null}
      {secret ? <SecretDialog token={secret} keyName={name} onDone={() => setSecret(null)} /> : null}
    </div>
  );
}
