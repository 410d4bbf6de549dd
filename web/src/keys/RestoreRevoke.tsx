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

/** "Gjenopprett nøkkel" (R9, with "compromised" R27) and revoke (R10), each behind a confirmation. */
export function RestoreRevoke({ id, name, active, onChanged }: Props) {
  const { t } = useI18n();
  const { client } = useSession();
  const [asking, setAsking] = useState<'restore' | 'revoke' | null>(null);
  const [compromised, setCompromised] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      if (asking === 'restore') {
        const { restoreUserKey } = await client.request(WebRestoreKeyDocument, { id, compromised });
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
          {/* R28: "keep the previous secret for" (overlap) goes here once restoreUserKey takes it */}
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
