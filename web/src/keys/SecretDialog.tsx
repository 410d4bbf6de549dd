import { useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Dialog } from '../ui/Dialog';

/**
 * The secret of a new or restored key, shown this once (R8), with a copy button and the
 * article's warning. It leaves only through OK: the secret is then dropped from memory.
 */
export function SecretDialog({ token, keyName, onDone }: { token: string; keyName: string; onDone: () => void }) {
  const { t } = useI18n();
  const field = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopyState('copied');
    } catch {
      field.current?.select();
      setCopyState('failed');
    }
  }
  return (
    <Dialog title={`${t('secretTitle')}: ${keyName}`} onClose={onDone} mustConfirm>
      <p className="warning" role="note">
        {t('secretWarning')}
      </p>
      <label htmlFor="key-secret">{t('secretLabel')}</label>
      <div className="secret-row">
        <input
          id="key-secret"
          ref={field}
          className="secret"
          readOnly
          value={token}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="primary" data-autofocus onClick={() => void copy()}>
          {t('copy')}
        </button>
      </div>
      <p className="status-line" role="status">
        {copyState === 'copied' ? t('copied') : copyState === 'failed' ? t('copyFailed') : ''}
      </p>
      <div className="actions">
        <button type="button" onClick={onDone}>
          {t('secretDone')}
        </button>
      </div>
    </Dialog>
  );
}
