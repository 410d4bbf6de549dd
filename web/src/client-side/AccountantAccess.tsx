import { useCallback, useEffect, useState } from 'react';
import {
  WebAccountingOfficesDocument,
  WebSetApiAccessDocument,
  type WebAccountingOfficesQuery,
} from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorText } from '../ui/ErrorText';
import { usePermissionCatalog } from '../ui/permissions';
import { BlockDialog } from './BlockDialog';
import { blockKey, readKnownBlocks, type BlockSubject, type KnownBlocks } from './blocks';

type Office = WebAccountingOfficesQuery['company']['accountingOffices'][number];
export type Access = Office['access']['edges'][number]['node'];

/**
 * "Selskap > Regnskapsfører" in the client: each accounting office keeping its books, with the API
 * switch for its keys (R18), and who of it acts here — every linked key and person, their template,
 * what they may do here and when a key was last used — each of which can be blocked (R33).
 */
export function AccountantAccess() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const { label } = usePermissionCatalog();
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [known, setKnown] = useState<KnownBlocks>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<{ name: string; at: string | null } | null>(null);
  const [blocking, setBlocking] = useState<{ office: Office; access: Access } | null>(null);

  const loadOffices = useCallback(async () => {
    try {
      const { company } = await client.request(WebAccountingOfficesDocument, { accessFirst: 100 });
      setOffices(company.accountingOffices);
    } catch (e) {
      setError(e);
    }
  }, [client]);
  useEffect(() => {
    void loadOffices();
    // the blocks are read from the feed once; a change made here is applied to them as it is saved
    // (the feed numbers an event a moment after its commit, so reading it again could miss it).
    // The feed may be out of reach: then nothing is known and the dialog's switches start off.
    readKnownBlocks(client).then(setKnown, () => setKnown(new Set()));
  }, [client, loadOffices]);

  function blockChanged(officeId: string, subject: BlockSubject, id: string, blocked: boolean) {
    setKnown((prev) => {
      const next = new Set(prev);
      if (blocked) next.add(blockKey(officeId, subject, id));
      else next.delete(blockKey(officeId, subject, id));
      return next;
    });
    void loadOffices();
  }

  async function toggle(office: Office, enabled: boolean) {
    setError(null);
    setSaved(null);
    try {
      const { setAccountantApiAccess: result } = await client.request(WebSetApiAccessDocument, {
        input: { accountingOfficeId: office.office.id, enabled },
      });
      setOffices((list) =>
        (list ?? []).map((o) => (o.office.id === result.office.id ? { ...o, apiAccess: result.apiAccess } : o)),
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
      {offices === null && !error ? <p className="loading">{t('loading')}</p> : null}
      {offices?.length === 0 ? <p>{t('noOffices')}</p> : null}
      {offices?.map((office) => {
        const id = office.office.id;
        const rows = office.access.edges.map((e) => e.node);
        return (
          <section key={id} className="card" aria-labelledby={`office-${id}`}>
            <h2 id={`office-${id}`}>{office.office.name}</h2>
            <div className="check switch">
              <input
                id={`api-${id}`}
                type="checkbox"
                role="switch"
                checked={office.apiAccess}
                aria-describedby={`api-${id}-help`}
                onChange={(e) => void toggle(office, e.target.checked)}
              />
              <label htmlFor={`api-${id}`}>
                {t('apiAccessSwitch')}: <strong>{office.apiAccess ? t('apiOn') : t('apiOff')}</strong>
              </label>
              <p id={`api-${id}-help`} className="hint">
                {t('apiAccessHelp')}
              </p>
            </div>
            <h3 id={`who-${id}`}>{t('whoActsTitle')}</h3>
            {rows.length === 0 ? (
              <p>{t('whoActsNone')}</p>
            ) : (
              <table aria-labelledby={`who-${id}`}>
                <thead>
                  <tr>
                    <th scope="col">{t('colWho')}</th>
                    <th scope="col">{t('colOwner')}</th>
                    <th scope="col">{t('template')}</th>
                    <th scope="col">{t('colPermissionsThere')}</th>
                    <th scope="col">{t('colLastUsed')}</th>
                    <th scope="col">{t('colBlocked')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((a) => {
                    const who = a.userKey ? `${a.userKey.applicationName} · ${a.userKey.name}` : a.employee.name;
                    return (
                      <tr key={a.userKey?.id ?? a.employee.id} data-access={who}>
                        <th scope="row">
                          {who}
                          <div className="hint">{a.userKey ? <code>{a.userKey.tokenHint}</code> : t('personLink')}</div>
                        </th>
                        <td>{a.employee.name}</td>
                        <td>{a.template.name}</td>
                        <td>
                          {a.effectivePermissions.length ? (
                            <ul className="chips">
                              {a.effectivePermissions.map((p) => (
                                <li key={p}>{label(p)}</li>
                              ))}
                            </ul>
                          ) : (
                            t('none')
                          )}
                        </td>
                        <td>{a.userKey ? (a.lastUsedAt ? formatDateTime(a.lastUsedAt) : t('never')) : t('none')}</td>
                        <td>
                          <span className={`badge badge-${a.blockedByClient ? 'bad' : 'ok'}`}>
                            {a.blockedByClient ? t('blocked') : t('notBlocked')}
                          </span>{' '}
                          <button
                            type="button"
                            className="link-button"
                            aria-label={`${t('blocksButton')}: ${who}`}
                            onClick={() => setBlocking({ office, access: a })}
                          >
                            {t('blocksButton')}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
      <p role="status" className="status-line">
        {saved ? `${t('apiAccessSaved')} (${saved.name}, ${formatDateTime(saved.at)})` : ''}
      </p>
      <ErrorText error={error} />
      {blocking ? (
        <BlockDialog
          officeId={blocking.office.office.id}
          access={blocking.access}
          known={known}
          onClose={() => setBlocking(null)}
          onChanged={(subject, id, blocked) => blockChanged(blocking.office.office.id, subject, id, blocked)}
        />
      ) : null}
    </>
  );
}
