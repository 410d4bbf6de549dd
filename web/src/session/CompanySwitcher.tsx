import { useEffect, useRef } from 'react';
import { WebSwitchableClientsDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from './session';
import { useQuery } from './use-query';

/**
 * "Selskapsvelgeren": the own company, and the office's clients where the signed-in person has a
 * client link (R16). Listing the office's clients needs CLIENT_ADMIN there; without it only the
 * own company is offered.
 */
export function CompanySwitcher() {
  const { t } = useI18n();
  const { viewer, own, companyId, switchCompany, linksVersion } = useSession();
  const office = own?.kind === 'ACCOUNTING_OFFICE';
  const { data, reload } = useQuery(WebSwitchableClientsDocument, { first: 50 }, !office, true);
  // a link added or removed on "Klienttilgang" changes where one may switch to
  const seen = useRef(linksVersion);
  useEffect(() => {
    if (seen.current === linksVersion) return;
    seen.current = linksVersion;
    void reload();
  }, [linksVersion, reload]);
  const me = viewer?.employee?.id;
  const linked = (data?.clients.edges ?? [])
    .map((e) => e.node)
    .filter((c) => c.company.id !== companyId && c.links.edges.some((l) => l.node.employee?.id === me));
  return (
    <div className="switcher">
      <label htmlFor="company-switcher">{t('companySwitcher')}</label>
      <select
        id="company-switcher"
        value={companyId ?? ''}
        onChange={(e) => switchCompany(e.target.value || undefined)}
      >
        <option value="">
          {own?.name ?? viewer?.company.name ?? ''} ({t('ownCompany')})
        </option>
        {companyId && viewer ? (
          <option value={companyId}>
            {viewer.company.name} ({t('clientOf')})
          </option>
        ) : null}
        {linked.map((c) => (
          <option key={c.company.id} value={c.company.id}>
            {c.company.name} ({t('clientOf')})
          </option>
        ))}
      </select>
    </div>
  );
}
