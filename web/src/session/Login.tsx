import { useState, type FormEvent } from 'react';
import { LanguageToggle } from '../app/LanguageToggle';
import { useI18n } from '../i18n/i18n';
import { ErrorText } from '../ui/ErrorText';
import { useSession } from './session';

export function Login() {
  const { t } = useI18n();
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  return (
    <div className="login-page">
      <header className="login-header">
        <span className="brand">{t('appName')}</span>
        <LanguageToggle />
      </header>
      <main className="login">
        <h1>{t('loginTitle')}</h1>
        <form onSubmit={submit} noValidate={false}>
          <label htmlFor="login-email">{t('email')}</label>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <label htmlFor="login-password">{t('password')}</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('loggingIn') : t('logIn')}
          </button>
        </form>
        <ErrorText error={error} />
        <p className="hint">{t('demoHint')}</p>
      </main>
    </div>
  );
}
