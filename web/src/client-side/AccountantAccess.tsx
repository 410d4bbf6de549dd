import { useEffect, useState } from 'react';
import { eventData, readFeed } from '../events/feed';
import { WebSetApiAccessDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorText } from '../ui/ErrorText';

interface Office {
  id: string;
  name: string | null;
  apiAccess: boolean;
}

const NAMES = 'nokkel.officeNames';

/**
 * The client's offices as its access events show them: every office that linked a key or person
 * here, and its API switch (on unless the latest switch event says off, R18). R33
 * (Company.accountingOffices) replaces this with the offices' names, switches and who acts here.
 */
function officesFromFeed(events: Awaited<ReturnType<typeof readFeed>>): Office[] {
  const names = JSON.parse(sessionStorage.getItem(NAMES) ?? '{}') as Record<string, string>;
  const offices = new Map<string, Office>();
  for (const event of events) {
    const data = eventData(event);
    if (typeof data.officeId !== 'string') continue;
    const office = offices.get(data.officeId) ?? {
      id: data.officeId,
      name: names[data.officeId] ?? null,
      apiAccess: true,
    };
    if (event.type === 'client.api_access_changed' && typeof data.enabled === 'boolean')
      office.apiAccess = data.enabled;
    offices.set(office.id, office);
  }
  return [...offices.values()];
}

/** "Selskap > Regnskapsfører" in the client: the API switch for each accounting office (R18). */
export function AccountantAccess() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<{ name: string; at: string | null } | null>(null);
  useEffect(() => {
    readFeed(client).then(
      (events) => setOffices(officesFromFeed(events)),
      (e: unknown) => setError(e),
    );
  }, [client]);

  async function toggle(office: Office, enabled: boolean) {
    setError(null);
    setSaved(null);
    try {
      const { setAccountantApiAccess: result } = await client.request(WebSetApiAccessDocument, {
        input: { accountingOfficeId: office.id, enabled },
      });
      const names = JSON.parse(sessionStorage.getItem(NAMES) ?? '{}') as Record<string, string>;
      sessionStorage.setItem(NAMES, JSON.stringify({ ...names, [result.office.id]: result.office.name }));
      setOffices((list) =>
        (list ?? []).map((o) =>
          o.id === office.id ? { ...o, name: result.office.name, apiAccess: result.apiAccess } : o,
        ),
      );
      setSaved({ name: result.office.name, at: result.apiAccessChangedAt });
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('accountantTitle')}</h1>
      <p className="intro">{t('accountantIntro')}</p>
      <ErrorText error={error} />
      {offices === null && !error ? <p className="loading">{t('loading')}</p> : null}
      {offices?.length === 0 ? <p>{t('noOffices')}</p> : null}
      {offices?.map((office) => (
        <section key={office.id} className="card" aria-labelledby={`office-${office.id}`}>
          <h2 id={`office-${office.id}`}>
            {office.name ?? t('officeUnnamed')} {office.name ? null : <code className="subtle">{office.id}</code>}
          </h2>
          <div className="check switch">
            <input
              id={`api-${office.id}`}
              type="checkbox"
              role="switch"
              checked={office.apiAccess}
              aria-describedby={`api-${office.id}-help`}
              onChange={(e) => void toggle(office, e.target.checked)}
            />
            <label htmlFor={`api-${office.id}`}>
              {t('apiAccessSwitch')}: <strong>{office.apiAccess ? t('apiOn') : t('apiOff')}</strong>
            </label>
            <p id={`api-${office.id}-help`} className="hint">
              {t('apiAccessHelp')}
            </p>
          </div>
          {/* R33: the office's keys and people acting here, and blocks of single keys/applications */}
          <p className="later">{t('laterBlocks')}</p>
        </section>
      ))}
      <p role="status" className="status-line">
        {saved ? `${t('apiAccessSaved')} (${saved.name}, ${formatDateTime(saved.at)})` : ''}
      </p>
    </>
  );
}
