import { NokkelError } from '@nokkel/client-sdk';
import { useI18n } from '../i18n/i18n';

/** A failed call, said plainly: the server's message and code (announced to screen readers). */
export function ErrorText({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof NokkelError ? error.code : undefined;
  return (
    <p className="error" role="alert">
      <strong>{t('errorPrefix')}:</strong> {message}
      {code ? <span className="code"> ({code})</span> : null}
    </p>
  );
}
