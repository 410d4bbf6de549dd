import { useEffect, useState, type FormEvent } from 'react';
import { readFeed } from '../events/feed';
import { WebApiAccessTrailDocument, WebSetApiAccessDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorText } from '../ui/ErrorText';
import { officesFrom, type Office } from './offices';

const NAMES = 'nokkel.officeNames';
const names = (): Record<string, string> => JSON.parse(sessionStorage.getItem(NAMES) ?? '{}') as Record<string, string>;

/** "Selskap > Regnskapsfører" in the client: the API switch for each accounting office (R18). */
export function AccountantAccess() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<{ name: string; at: string | null } | null>(null);
  const [typedId, setTypedId] = useState('');
  useEffect(() => {
    Promise.all([readFeed(client).catch(() => []), client.request(WebApiAccessTrailDocument)]).then(
      ([events, trail]) =>
        setOffices(
          officesFrom(
            events,
            trail.auditEvents.edges.map((e) => e.node),
            names(),
          ),
        ),
      (e: unknown) => setError(e),
    );
  }, [client]);

  async function toggle(officeId: string, enabled: boolean) {
    setError(null);
    setSaved(null);
    try {
      const { setAccountantApiAccess: result } = await client.request(WebSetApiAccessDocument, {
        input: { accountingOfficeId: officeId, enabled },
      });
      sessionStorage.setItem(NAMES, JSON.stringify({ ...names(), [result.office.id]: result.office.name }));
      const office = { id: result.office.id, name: result.office.name, apiAccess: result.apiAccess };
      setOffices((list) => [...(list ?? []).filter((o) => o.id !== office.id), office]);
      setSaved({ name: result.office.name, at: result.apiAccessChangedAt });
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  }

  async function addOffice(event: FormEvent) {
    event.preventDefault();
    // turning the switch on names the office; on is also the default, so nothing changes
    if (await toggle(typedId.trim(), true)) setTypedId('');
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('accountantTitle')}</h1>
      <p className="intro">{t('accountantIntro')}</p>
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
              onChange={(e) => void toggle(office.id, e.target.checked)}
            />
            <label htmlFor={`api-${office.id}`}>
              {t('apiAccessSwitch')}: <strong>{office.apiAccess ? t('apiOn') : t('apiOff')}</strong>
            </label>
            <p id={`api-${office.id}-help`} className="hint">
              {t('apiAccessHelp')}
            </p>
          </div>
          {/* R33: the office's keys and people acting here, and blocks of single keys/applications */}
          <p className="later">
            {t('laterFeatures')}: {t('laterBlocks')}
          </p>
        </section>
      ))}
      <p role="status" className="status-line">
        {saved ? `${t('apiAccessSaved')} (${saved.name}, ${formatDateTime(saved.at)})` : ''}
      </p>
      <ErrorText error={error} />
      {/* until R33 lists the offices: an office not yet in the records is named by its id */}
      <form className="card" onSubmit={addOffice} aria-labelledby="add-office-title">
        <h2 id="add-office-title">{t('addOffice')}</h2>
        <label htmlFor="office-id">{t('officeId')}</label>
        <input
          id="office-id"
          required
          value={typedId}
          aria-describedby="office-id-help"
          onChange={(e) => setTypedId(e.target.value)}
        />
        <p id="office-id-help" className="hint">
          {t('officeIdHelp')}
        </p>
        <button type="submit">{t('addOfficeButton')}</button>
      </form>
    </>
  );
}
