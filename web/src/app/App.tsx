import { I18nProvider } from '../i18n/i18n';
import { Login } from '../session/Login';
import { SessionProvider } from '../session/session';
import { Shell } from './Shell';

export function App() {
  return (
    <I18nProvider>
      <SessionProvider fallback={<Login />}>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  );
}
