import { useState } from 'react';
import { href } from '../app/route';
import { WebKeyOverviewDocument, type KeyRowFragment } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { useQuery } from '../session/use-query';
import { ErrorText } from '../ui/ErrorText';
import { Status } from '../ui/Status';
import { LeakReportDialog } from './LeakReportDialog';
import { NewKeyDialog } from './NewKeyDialog';
import { SecretDialog } from './SecretDialog';

const PAGE = 50;

/** "API-tilgang": the key overview (R20), newest first, with "Ny nøkkel". */
export function KeyOverview() {
  const { t, formatDateTime } = useI18n();
  const { viewer } = useSession();
  const [pages, setPages] = useState(1);
  const { data, error, loading, reload } = useQuery(WebKeyOverviewDocument, { first: Math.min(PAGE * pages, 100) });
  const [creating, setCreating] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [secret, setSecret] = useState<{ token: string; name: string } | null>(null);
  const keys: KeyRowFragment[] = data?.userKeys.edges.map((e) => e.node) ?? [];
  return (
    <>
      <div className="title-row">
        <h1 tabIndex={-1}>{t('keysTitle')}</h1>
        <span className="spacer" />
        <button type="button" onClick={() => setReporting(true)}>
          {t('reportLeak')}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => setCreating(true)}
          disabled={!viewer?.company.integrationsActive}
        >
          {t('newKey')}
        </button>
      </div>
      <p className="intro">{t('keysIntro')}</p>
      <ErrorText error={error} />
      <div className="table-wrap" aria-busy={loading}>
        <table>
          <caption className="visually-hidden">
            {t('keysTitle')}: {data?.userKeys.totalCount ?? 0} {t('keysCount')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('colKey')}</th>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colKind')}</th>
              <th scope="col">{t('colOwner')}</th>
              <th scope="col">{t('colStatus')}</th>
              <th scope="col">{t('colLastUsed')}</th>
              <th scope="col">{t('colExpires')}</th>
              <th scope="col">{t('colHint')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td>
                  <a href={href('keys', key.id)}>{key.applicationName}</a>
                </td>
                <td>{key.name}</td>
                <td>{t(`kind${key.kind}`)}</td>
                <td>{key.owner.name}</td>
                <td>
                  <Status status={key.status} />
                </td>
                <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : t('never')}</td>
                <td>{formatDateTime(key.expiresAt)}</td>
                <td>
                  <code>{key.tokenHint}</code>
                </td>
              </tr>
            ))}
            {!loading && keys.length === 0 ? (
              <tr>
                <td colSpan={8}>{t('noKeys')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {data?.userKeys.pageInfo.hasNextPage && PAGE * pages < 100 ? (
        <button type="button" onClick={() => setPages(pages + 1)}>
          {t('showMore')}
        </button>
      ) : null}
      {creating ? (
        <NewKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(token, name) => {
            setCreating(false);
            setSecret({ token, name });
            void reload();
          }}
        />
      ) : null}
      {reporting ? <LeakReportDialog onClose={() => setReporting(false)} onReported={() => void reload()} /> : null}
      {secret ? <SecretDialog token={secret.token} keyName={secret.name} onDone={() => setSecret(null)} /> : null}
    </>
  );
}
