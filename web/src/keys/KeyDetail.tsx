import { useEffect, useState } from 'react';
import { href } from '../app/route';
import { WebKeyDetailDocument, WebSetKeyPermissionsDocument, type Permission } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { useQuery } from '../session/use-query';
import { ErrorText } from '../ui/ErrorText';
import { usePermissionCatalog } from '../ui/permissions';
import { Status } from '../ui/Status';
import { KeyExpiry } from './KeyExpiry';
import { KeyNetworks } from './KeyNetworks';
import { KeyReach } from './KeyReach';
import { RestoreRevoke } from './RestoreRevoke';

/**
 * One key: its facts, restore (with overlap or as compromised) and revoke (R9, R10, R27, R28), for
 * an accountant key where it can act (R32), its expiry (R29), the networks it may be used from
 * (R30), and the permission view with locked permissions (R4, R5).
 */
export function KeyDetail({ id }: { id: string }) {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const { label } = usePermissionCatalog();
  const { data, error, reload } = useQuery(WebKeyDetailDocument, { id });
  const key = data?.userKey;
  const accountant = key?.kind === 'ACCOUNTANT';
  const [granted, setGranted] = useState<Permission[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (key) setGranted(key.permissionGrants.filter((g) => g.granted).map((g) => g.permission));
  }, [key]);

  async function savePermissions() {
    setSaving(true);
    setSaveError(null);
    setSaved(false);
    try {
      await client.request(WebSetKeyPermissionsDocument, { id, permissions: granted });
      setSaved(true);
      await reload();
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  }

  if (!key)
    return (
      <>
        <p>
          <a href={href('keys')}>← {t('backToKeys')}</a>
        </p>
        {error ? <ErrorText error={error} /> : <p className="loading">{t('loading')}</p>}
      </>
    );
  const active = key.status === 'ACTIVE';
  return (
    <>
      <p>
        <a href={href('keys')}>← {t('backToKeys')}</a>
      </p>
      <div className="title-row">
        <h1 tabIndex={-1}>
          {key.applicationName} <span className="subtle">· {key.name}</span>
        </h1>
        <Status status={key.status} />
      </div>
      <dl className="facts">
        <dt>{t('colKind')}</dt>
        <dd>{t(`kind${key.kind}`)}</dd>
        <dt>{t('colOwner')}</dt>
        <dd>{key.owner.name}</dd>
        <dt>{t('accessMode')}</dt>
        <dd>{t(`mode${key.accessMode}`)}</dd>
        <dt>{t('colHint')}</dt>
        <dd>
          <code>{key.tokenHint}</code>
        </dd>
        <dt>{t('colCreated')}</dt>
        <dd>{formatDateTime(key.createdAt)}</dd>
        <dt>{t('colLastUsed')}</dt>
        <dd>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : t('never')}</dd>
        <dt>{t('colExpires')}</dt>
        <dd>{formatDateTime(key.expiresAt)}</dd>
        {key.previousSecretExpiresAt ? (
          <>
            <dt>{t('previousSecretUntil')}</dt>
            <dd>{formatDateTime(key.previousSecretExpiresAt)}</dd>
          </>
        ) : null}
      </dl>

      <RestoreRevoke id={key.id} name={key.name} active={active} onChanged={() => void reload()} />

      {accountant ? <KeyReach key={`${key.status}:${key.restoredAt ?? ''}`} id={key.id} /> : null}

      {active ? (
        <KeyExpiry
          key={key.expiresAt ?? ''}
          id={key.id}
          expiresAt={key.expiresAt ?? null}
          onChanged={() => void reload()}
        />
      ) : null}

      <KeyNetworks key={key.id} id={key.id} editable={active} />

      <section aria-labelledby="perm-title">
        <h2 id="perm-title">{t('permissionsTitle')}</h2>
        <p className="intro">{t('permissionsIntro')}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('permission')}</th>
              <th scope="col">{t('granted')}</th>
              <th scope="col">{t('effective')}</th>
              <th scope="col">{t('locked')}</th>
            </tr>
          </thead>
          <tbody>
            {key.permissionGrants.map((g) => (
              <tr key={g.permission} className={g.locked ? 'locked' : undefined}>
                <th scope="row">
                  <label htmlFor={`grant-${g.permission}`}>{label(g.permission)}</label>
                </th>
                <td>
                  <input
                    id={`grant-${g.permission}`}
                    type="checkbox"
                    checked={granted.includes(g.permission)}
                    // a locked permission can be removed, never added (R2): the owner lacks it
                    disabled={!active || (g.locked && !granted.includes(g.permission))}
                    onChange={(e) =>
                      setGranted(
                        e.target.checked ? [...granted, g.permission] : granted.filter((p) => p !== g.permission),
                      )
                    }
                  />
                </td>
                <td>{g.effective ? t('yes') : t('no')}</td>
                <td>
                  {g.locked ? (
                    <span className="badge badge-locked" title={t('lockedExplain')}>
                      🔒 {t('locked')}
                    </span>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {active ? (
          <div className="actions">
            <button type="button" onClick={() => void savePermissions()} disabled={saving}>
              {saving ? t('saving') : t('savePermissions')}
            </button>
            <span role="status" className="status-line">
              {saved ? t('permissionsSaved') : ''}
            </span>
          </div>
        ) : null}
        <ErrorText error={saveError} />
      </section>
    </>
  );
}
