import { createClient } from '@nokkel/client-sdk';
import { useState, type FormEvent } from 'react';
import { WebReportLeakedSecretsDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { Dialog } from '../ui/Dialog';
import { ErrorText } from '../ui/ErrorText';

/** Up to this many secrets in one report (the server takes 1–1,000). */
const MAX = 1000;

/**
 * "Meld lekket nøkkel" (R31): secrets found in public, one per line. The report needs no
 * credential and always answers true (it never tells whether a string was a live secret), so it is
 * sent without the session; every active key among them is revoked with what it created.
 */
export function LeakReportDialog({ onClose, onReported }: { onClose: () => void; onReported: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const secrets = [...new Set(text.split(/\s+/).filter(Boolean))].slice(0, MAX);

  async function report(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await createClient({ url: '/graphql' }).request(WebReportLeakedSecretsDocument, { secrets });
      setText(''); // the secrets leave the page as soon as they are reported
      setDone(true);
      onReported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('reportLeakTitle')} onClose={onClose}>
      <form onSubmit={report} className="form">
        <p>{t('reportLeakIntro')}</p>
        <label htmlFor="leak-secrets">{t('leakSecrets')}</label>
        <textarea
          id="leak-secrets"
          rows={4}
          required
          spellCheck={false}
          autoComplete="off"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setDone(false);
          }}
        />
        <p role="status" className="status-line">
          {done ? t('leakReported') : ''}
        </p>
        <ErrorText error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('close')}
          </button>
          <button type="submit" className="danger" disabled={busy || secrets.length === 0}>
            {t('reportLeakConfirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
