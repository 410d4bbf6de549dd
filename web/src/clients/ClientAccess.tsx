import { NokkelError } from '@nokkel/client-sdk';
import { useState, type FormEvent } from 'react';
import {
  WebBulkLinkDocument,
  WebClientAccessDocument,
  WebOfficeEmployeesDocument,
  WebUnlinkDocument,
} from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { useQuery } from '../session/use-query';
import { ErrorText } from '../ui/ErrorText';

type Outcome = { linked: number } | { failures: { client: string; message: string }[] } | { error: unknown };

/**
 * "Klienttilgang" (R16): select many clients, pick an accountant key or a person ("Ansatt" lists
 * both, as in the article) and an access template, and link them all at once. Linking is atomic:
 * on failure nothing is linked and each failing client is listed with its reason. Each client's
 * row shows its current links, which can be removed one by one.
 */
export function ClientAccess() {
  const { t } = useI18n();
  const { client, can, linksChanged } = useSession();
  const { data, error, reload } = useQuery(WebClientAccessDocument, { first: 50 });
  const people = useQuery(WebOfficeEmployeesDocument, {}, !can('EMPLOYEE_READ'));
  const [selected, setSelected] = useState<string[]>([]);
  const [grantee, setGrantee] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const clients = data?.clients.edges.map((e) => e.node) ?? [];
  const keys = data?.userKeys.edges.map((e) => e.node) ?? [];
  const employees = people.data?.employees.edges.map((e) => e.node) ?? [];
  const allSelected = clients.length > 0 && selected.length === clients.length;
  const nameOf = (id: string) => clients.find((c) => c.company.id === id)?.company.name ?? id;

  async function link(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    const [kind, id] = grantee.split(':');
    try {
      const { bulkLinkClients } = await client.request(WebBulkLinkDocument, {
        input: {
          clientIds: selected,
          accessTemplateId: templateId,
          ...(kind === 'key' ? { userKeyId: id ?? '' } : { employeeId: id ?? '' }),
        },
      });
      // the table shows the new links when the result is announced
      await reload();
      setOutcome({ linked: bulkLinkClients.linkedCount });
      setSelected([]);
      linksChanged();
    } catch (e) {
      if (e instanceof NokkelError && e.failures?.length)
        setOutcome({ failures: e.failures.map((f) => ({ client: nameOf(f.clientId), message: f.message })) });
      else setOutcome({ error: e });
    } finally {
      setBusy(false);
    }
  }

  async function unlink(clientId: string, userKeyId: string | undefined, employeeId: string | undefined) {
    try {
      await client.request(WebUnlinkDocument, {
        input: { clientIds: [clientId], ...(userKeyId ? { userKeyId } : { employeeId: employeeId ?? '' }) },
      });
      linksChanged();
      await reload();
    } catch (e) {
      setOutcome({ error: e });
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t('clientAccessTitle')}</h1>
      <p className="intro">{t('clientAccessIntro')}</p>
      <ErrorText error={error} />
      <form onSubmit={link} className="link-form">
        <div className="field">
          <label htmlFor="link-grantee">{t('grantee')}</label>
          <select id="link-grantee" required value={grantee} onChange={(e) => setGrantee(e.target.value)}>
            <option value="">{t('chooseGrantee')}</option>
            <optgroup label={t('granteeKeys')}>
              {keys.map((k) => (
                <option key={k.id} value={`key:${k.id}`}>
                  {k.applicationName} · {k.name}
                </option>
              ))}
            </optgroup>
            {employees.length ? (
              <optgroup label={t('granteePeople')}>
                {employees.map((p) => (
                  <option key={p.id} value={`employee:${p.id}`}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        <div className="field">
          <label htmlFor="link-template">{t('template')}</label>
          <select id="link-template" required value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
            <option value="">{t('chooseTemplate')}</option>
            {data?.accessTemplates.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={busy || selected.length === 0}>
          {busy ? t('linking') : t('linkSelected')} ({selected.length} {t('selectedCount')})
        </button>
      </form>
      <div className="progress-slot" aria-live="polite">
        {busy ? <progress aria-label={t('linking')} /> : null}
        {outcome && 'linked' in outcome ? (
          <p className="success" role="status">
            {outcome.linked} {t('linkedCount')}
          </p>
        ) : null}
        {outcome && 'failures' in outcome ? (
          <div className="error" role="alert">
            <p>{t('linkFailed')}</p>
            <ul>
              {outcome.failures.map((f) => (
                <li key={f.client}>
                  <strong>{f.client}</strong>: {f.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {outcome && 'error' in outcome ? <ErrorText error={outcome.error} /> : null}
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label={t('selectAll')}
                checked={allSelected}
                onChange={(e) => setSelected(e.target.checked ? clients.map((c) => c.company.id) : [])}
              />
            </th>
            <th scope="col">{t('colClient')}</th>
            <th scope="col">{t('orgNumber')}</th>
            <th scope="col">{t('colApiAccess')}</th>
            <th scope="col">{t('colLinks')}</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((c) => (
            <tr key={c.company.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t('selectClient')} ${c.company.name}`}
                  checked={selected.includes(c.company.id)}
                  onChange={(e) =>
                    setSelected(
                      e.target.checked ? [...selected, c.company.id] : selected.filter((id) => id !== c.company.id),
                    )
                  }
                />
              </td>
              <th scope="row">{c.company.name}</th>
              <td>{c.company.orgNumber ?? t('none')}</td>
              <td>
                <span className={`badge badge-${c.apiAccess ? 'ok' : 'bad'}`}>
                  {c.apiAccess ? t('apiOn') : t('apiOff')}
                </span>
              </td>
              <td>
                <ul className="links">
                  {c.links.edges.map(({ node: l }) => (
                    <li key={l.id}>
                      {l.userKey ? `${l.userKey.applicationName} · ${l.userKey.name}` : (l.employee?.name ?? '')} —{' '}
                      {l.template.name}{' '}
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`${t('unlink')}: ${l.userKey?.name ?? l.employee?.name ?? ''}, ${c.company.name}`}
                        onClick={() => void unlink(c.company.id, l.userKey?.id, l.employee?.id)}
                      >
                        {t('unlink')}
                      </button>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
          {data && clients.length === 0 ? (
            <tr>
              <td colSpan={5}>{t('noClients')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </>
  );
}
