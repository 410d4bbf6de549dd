import { useState, type FormEvent } from 'react';
import { WebKeyNetworksDocument, WebSetAllowedNetworksDocument, type KeyNetworksFragment } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { useQuery } from '../session/use-query';
import { ErrorText } from '../ui/ErrorText';

interface Props {
  id: string;
  /** Only an active key's list can be changed. */
  editable: boolean;
}

/** The key's networks, read on their own: only the key's owner and user administrators see them. */
export function KeyNetworks({ id, editable }: Props) {
  const { t } = useI18n();
  const { data, error } = useQuery(WebKeyNetworksDocument, { id });
  if (data) return <NetworksEditor id={id} networks={data.userKey} editable={editable} />;
  return (
    <section aria-labelledby="networks-title">
      <h2 id="networks-title">{t('networksTitle')}</h2>
      {error ? <ErrorText error={error} /> : <p className="loading">{t('loading')}</p>}
    </section>
  );
}

/**
 * "Nettverk" (R30): the networks the key may be used from, and the networks it was used from in
 * the last 30 days, each one click from the list. Every change is saved at once; the server checks
 * the CIDRs and answers with the list it keeps.
 */
function NetworksEditor({ id, networks, editable }: Props & { networks: KeyNetworksFragment }) {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const [allowed, setAllowed] = useState(networks.allowedNetworks);
  const [recent, setRecent] = useState(networks.recentNetworks);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function save(cidrs: string[]): Promise<boolean> {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const { setUserKeyAllowedNetworks: key } = await client.request(WebSetAllowedNetworksDocument, { id, cidrs });
      setAllowed(key.allowedNetworks);
      setRecent(key.recentNetworks);
      setSaved(true);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    const cidr = draft.trim();
    if (!cidr || allowed.includes(cidr)) return;
    if (await save([...allowed, cidr])) setDraft('');
  }

  return (
    <section aria-labelledby="networks-title">
      <h2 id="networks-title">{t('networksTitle')}</h2>
      <p className="intro">{t('networksIntro')}</p>
      <h3 id="allowed-title">{t('allowedNetworks')}</h3>
      {allowed.length === 0 ? (
        <p className="warning-soft">{t('networksAnywhere')}</p>
      ) : (
        <ul className="networks" aria-labelledby="allowed-title">
          {allowed.map((cidr) => (
            <li key={cidr}>
              <code>{cidr}</code>
              {editable ? (
                <button
                  type="button"
                  className="link-button"
                  disabled={busy}
                  aria-label={`${t('removeNetwork')}: ${cidr}`}
                  onClick={() => void save(allowed.filter((c) => c !== cidr))}
                >
                  {t('removeNetwork')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <form className="inline-form" onSubmit={add}>
          <label htmlFor="network-add">{t('addNetwork')}</label>
          <input
            id="network-add"
            maxLength={50}
            spellCheck={false}
            autoComplete="off"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" disabled={busy || !draft.trim()}>
            {t('addNetworkButton')}
          </button>
        </form>
      ) : null}
      <p role="status" className="status-line">
        {saved ? t('networksSaved') : ''}
      </p>
      <ErrorText error={error} />

      <h3 id="recent-title">{t('recentNetworksTitle')}</h3>
      {recent.length === 0 ? (
        <p>{t('recentNetworksNone')}</p>
      ) : (
        <table aria-labelledby="recent-title">
          <thead>
            <tr>
              <th scope="col">{t('colNetwork')}</th>
              <th scope="col">{t('colRequests')}</th>
              <th scope="col">{t('colLastSeen')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('allowedNetworks')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {recent.map((n) => (
              <tr key={n.network}>
                <th scope="row">
                  <code>{n.network}</code>
                </th>
                <td>{n.requests}</td>
                <td>{formatDateTime(n.lastSeenAt)}</td>
                <td>
                  {allowed.includes(n.network) ? (
                    <span className="badge badge-ok">{t('networkAllowed')}</span>
                  ) : editable ? (
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`${t('allowNetwork')}: ${n.network}`}
                      onClick={() => void save([...allowed, n.network])}
                    >
                      {t('allowNetwork')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
