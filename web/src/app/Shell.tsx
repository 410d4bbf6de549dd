import type { ReactNode } from 'react';
import { AccountantAccess } from '../client-side/AccountantAccess';
import { ClientAccess } from '../clients/ClientAccess';
import { Templates } from '../clients/Templates';
import { EventsFeed } from '../events/EventsFeed';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { KeyDetail } from '../keys/KeyDetail';
import { KeyOverview } from '../keys/KeyOverview';
import { KeyPolicy } from '../policy/KeyPolicy';
import { CompanySwitcher } from '../session/CompanySwitcher';
import { useSession, type Viewer } from '../session/session';
import { Home } from './Home';
import { LanguageToggle } from './LanguageToggle';
import { href, useRoute, type Screen } from './route';

interface NavItem {
  screen: Screen;
  label: MessageKey;
  shown: (viewer: Viewer) => boolean;
}

const has = (viewer: Viewer, ...permissions: Viewer['effectivePermissions']) =>
  permissions.some((p) => viewer.effectivePermissions.includes(p));
const office = (viewer: Viewer) => viewer.company.kind === 'ACCOUNTING_OFFICE' && !viewer.actingAtClient;

/** The menu: each screen where the acting company and the caller's permissions make it useful. */
const NAV: readonly NavItem[] = [
  { screen: 'home', label: 'navHome', shown: () => true },
  { screen: 'keys', label: 'navKeys', shown: (v) => !v.actingAtClient },
  { screen: 'client-access', label: 'navClientAccess', shown: (v) => office(v) && has(v, 'CLIENT_ADMIN') },
  { screen: 'templates', label: 'navTemplates', shown: (v) => office(v) && has(v, 'CLIENT_ADMIN') },
  {
    screen: 'accountant',
    label: 'navAccountant',
    shown: (v) => v.company.kind === 'REGULAR' && !v.actingAtClient && has(v, 'ACCOUNT_ADMIN'),
  },
  { screen: 'policy', label: 'navPolicy', shown: (v) => !v.actingAtClient && has(v, 'ACCOUNT_ADMIN') },
  { screen: 'events', label: 'navEvents', shown: (v) => has(v, 'ACCOUNT_ADMIN', 'USER_ADMIN') },
];

export function Shell() {
  const { t } = useI18n();
  const { viewer, logout } = useSession();
  const route = useRoute();
  const items = viewer ? NAV.filter((item) => item.shown(viewer)) : [];
  const current = items.find((i) => i.screen === route.screen)?.screen ?? 'home';
  let content: ReactNode = <p className="loading">{t('loading')}</p>;
  if (viewer) {
    if (current === 'keys') content = route.id ? <KeyDetail id={route.id} /> : <KeyOverview />;
    else if (current === 'client-access') content = <ClientAccess />;
    else if (current === 'templates') content = <Templates />;
    else if (current === 'accountant') content = <AccountantAccess />;
    else if (current === 'policy') content = <KeyPolicy />;
    else if (current === 'events') content = <EventsFeed />;
    else content = <Home viewer={viewer} />;
  }
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">
          {t('appName')} <span className="brand-sub">· {t('appTitle')}</span>
        </span>
        <CompanySwitcher />
        <span className="spacer" />
        <span className="who">
          {t('signedInAs')} <strong>{viewer?.employee?.name ?? ''}</strong>
        </span>
        <LanguageToggle />
        <button type="button" className="link-button" onClick={() => void logout()}>
          {t('logOut')}
        </button>
      </header>
      {viewer?.actingAtClient ? (
        <p className="acting-banner" role="status">
          {t('actingAtClient')}: <strong>{viewer.company.name}</strong>
          {viewer.accessTemplate ? ` · ${t('template')}: ${viewer.accessTemplate.name}` : ''}
        </p>
      ) : null}
      <div className="layout">
        <nav aria-label={t('mainNav')} className="sidenav">
          <ul>
            {items.map((item) => (
              <li key={item.screen}>
                <a href={href(item.screen)} aria-current={item.screen === current ? 'page' : undefined}>
                  {t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main>{content}</main>
      </div>
    </div>
  );
}
