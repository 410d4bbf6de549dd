import { useI18n } from '../i18n/i18n';
import type { Viewer } from '../session/session';
import { usePermissionCatalog } from '../ui/permissions';

/** Where the caller acts and what they may do there (Viewer). */
export function Home({ viewer }: { viewer: Viewer }) {
  const { t } = useI18n();
  const { label } = usePermissionCatalog();
  const { company } = viewer;
  return (
    <>
      <h1 tabIndex={-1}>{company.name}</h1>
      <dl className="facts">
        <dt>{t('company')}</dt>
        <dd>{company.kind === 'ACCOUNTING_OFFICE' ? t('accountingOffice') : t('regularCompany')}</dd>
        <dt>{t('companyId')}</dt>
        <dd>
          <code>{company.id}</code>
        </dd>
        <dt>{t('orgNumber')}</dt>
        <dd>{company.orgNumber ?? t('none')}</dd>
        <dt>{t('integrations')}</dt>
        <dd>{company.integrationsActive ? t('active') : t('notActive')}</dd>
        {viewer.accessTemplate ? (
          <>
            <dt>{t('template')}</dt>
            <dd>{viewer.accessTemplate.name}</dd>
          </>
        ) : null}
        <dt>{t('effectivePermissions')}</dt>
        <dd>
          <ul className="chips">
            {viewer.effectivePermissions.map((p) => (
              <li key={p}>{label(p)}</li>
            ))}
          </ul>
        </dd>
      </dl>
    </>
  );
}
