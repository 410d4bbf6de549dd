import { useEffect, useState } from 'react';
import { WebAccountingOfficesDocument, WebSetApiAccessDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorText } from '../ui/ErrorText';

interface Office {
  id: string;
  name: string;
  apiAccess: boolean;
}

/** "Selskap > Regnskapsfører" in the client: the API switch for each accounting office (R18). */
export function AccountantAccess() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<{ name: string; at: string | null } | null>(null);
  useEffect(() => {
    client.request(WebAccountingOfficesDocument).then(
      ({ company }) =>
        setOffices(
          company.accountingOffices.map((o) => ({ id: o.office.id, name: o.office.name, apiAccess: o.apiAccess })),
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
      const office = { id: result.office.id, name: result.office.name, apiAccess: result.apiAccess };
      setOffices((list) => (list ?? []).map((o) => (o.id === office.id ? office : o)));
      setSaved({ name: result.office.name, at: result.apiAccessChangedAt });
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('accountantTitle')}</h1>
      <p className="intro">{t('accountantIntro')}</p>
      {offices === null && !error ? <p className="loading">{t('loading')}</p> : null}
      {offices?.length === 0 ? <p>{t('noOffices')}</p> : null}
      {offices?.map((office) => (
        <section key={office.id} className="card" aria-labelledby={`office-${office.id}`}>
          <h2 id={`office-${office.id}`}>{office.name}</h2>
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
    </>
  );
}
