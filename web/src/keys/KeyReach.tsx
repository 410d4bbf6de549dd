import { useState } from 'react';
import { WebKeyReachDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useQuery } from '../session/use-query';
import { ErrorText } from '../ui/ErrorText';
import { usePermissionCatalog } from '../ui/permissions';
import { Reach } from '../ui/Status';

const PAGE = 50;

/**
 * Where an accountant key can act (R32), as the server answers it in `UserKey.reach`: each linked
 * client with its template, what the key may do there, and — red — the first reason it cannot
 * (the client's API switch, a client's block, the owner, the office's add-on, the key itself).
 */
export function KeyReach({ id }: { id: string }) {
  const { t } = useI18n();
  const { label } = usePermissionCatalog();
  const [pages, setPages] = useState(1);
  const { data, error, loading } = useQuery(WebKeyReachDocument, { id, first: Math.min(PAGE * pages, 100) });
  const reach = data?.userKey.reach;
  const rows = reach?.edges.map((e) => e.node) ?? [];
  return (
    <section aria-labelledby="reach-title">
      <h2 id="reach-title">{t('linkedClients')}</h2>
      <p className="intro">{t('reachIntro')}</p>
      <ErrorText error={error} />
      {reach && rows.length === 0 ? (
        <p>{t('noLinkedClients')}</p>
      ) : (
        <div className="table-wrap" aria-busy={loading}>
          <table>
            <caption className="visually-hidden">
              {t('linkedClients')}: {reach?.totalCount ?? 0} {t('reachCount')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('colClient')}</th>
                <th scope="col">{t('template')}</th>
                <th scope="col">{t('colPermissionsThere')}</th>
                <th scope="col">{t('colReach')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.client.id} data-client={r.client.name}>
                  <th scope="row">{r.client.name}</th>
                  <td>{r.template.name}</td>
                  <td>
                    {r.effectivePermissions.length ? (
                      <ul className="chips">
                        {r.effectivePermissions.map((p) => (
                          <li key={p}>{label(p)}</li>
                        ))}
                      </ul>
                    ) : (
                      t('none')
                    )}
                  </td>
                  <td>
                    <Reach
                      ok={r.canAct}
                      label={r.canAct || !r.blockedReason ? t('reachYes') : t(`reach${r.blockedReason}`)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {reach?.pageInfo.hasNextPage && PAGE * pages < 100 ? (
        <button type="button" onClick={() => setPages(pages + 1)}>
          {t('showMore')}
        </button>
      ) : null}
    </section>
  );
}
