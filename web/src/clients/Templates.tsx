import { useState, type FormEvent } from 'react';
import {
  WebCreateTemplateDocument,
  WebDeleteTemplateDocument,
  WebTemplatesDocument,
  WebUpdateTemplateDocument,
  type Permission,
  type TemplateFieldsFragment,
} from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { useQuery } from '../session/use-query';
import { ErrorText } from '../ui/ErrorText';
import { usePermissionCatalog } from '../ui/permissions';

/** Administration never crosses a client link (R22): templates cannot hold these. */
const ADMINISTRATION: readonly Permission[] = ['USER_ADMIN', 'ACCOUNT_ADMIN', 'CLIENT_ADMIN'];

function PermissionBoxes({
  idPrefix,
  value,
  onChange,
}: {
  idPrefix: string;
  value: Permission[];
  onChange: (next: Permission[]) => void;
}) {
  const { catalog, label } = usePermissionCatalog();
  return (
    <ul className="permission-picks">
      {catalog
        .filter((p) => !ADMINISTRATION.includes(p.permission))
        .map((p) => (
          <li key={p.permission} className="check">
            <input
              id={`${idPrefix}-${p.permission}`}
              type="checkbox"
              checked={value.includes(p.permission)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, p.permission] : value.filter((x) => x !== p.permission))
              }
            />
            <label htmlFor={`${idPrefix}-${p.permission}`}>{label(p.permission)}</label>
          </li>
        ))}
    </ul>
  );
}

function TemplateEditor({ template, onChanged }: { template: TemplateFieldsFragment; onChanged: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [permissions, setPermissions] = useState<Permission[]>(template.permissions);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  async function run(action: () => Promise<unknown>, done: string) {
    setError(null);
    setStatus('');
    try {
      await action();
      setStatus(done);
      onChanged();
    } catch (e) {
      setError(e);
    }
  }
  const headingId = `tpl-${template.id}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{template.name}</h2>
      <PermissionBoxes idPrefix={headingId} value={permissions} onChange={setPermissions} />
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void run(
              () => client.request(WebUpdateTemplateDocument, { id: template.id, input: { permissions } }),
              t('templateSaved'),
            )
          }
        >
          {t('save')}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() =>
            void run(() => client.request(WebDeleteTemplateDocument, { id: template.id }), t('templateDeleted'))
          }
        >
          {t('deleteTemplate')}
        </button>
        <span role="status" className="status-line">
          {status}
        </span>
      </div>
      <ErrorText error={error} />
    </section>
  );
}

/** "Tilgangsmaler" (R19): the office's templates; a change reaches every link using it at once. */
export function Templates() {
  const { t } = useI18n();
  const { client } = useSession();
  const { data, error, reload } = useQuery(WebTemplatesDocument, {});
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<Permission[]>([]);
  const [createError, setCreateError] = useState<unknown>(null);
  async function create(event: FormEvent) {
    event.preventDefault();
    setCreateError(null);
    try {
      await client.request(WebCreateTemplateDocument, { input: { name: name.trim(), permissions } });
      setName('');
      setPermissions([]);
      await reload();
    } catch (e) {
      setCreateError(e);
    }
  }
  return (
    <>
      <h1 tabIndex={-1}>{t('templatesTitle')}</h1>
      <p className="intro">{t('templatesIntro')}</p>
      <ErrorText error={error} />
      {data?.accessTemplates.map((tpl) => (
        <TemplateEditor key={`${tpl.id}:${tpl.permissions.join()}`} template={tpl} onChanged={() => void reload()} />
      ))}
      <form className="card" onSubmit={create} aria-labelledby="new-template-title">
        <h2 id="new-template-title">{t('newTemplate')}</h2>
        <label htmlFor="new-template-name">{t('templateName')}</label>
        <input id="new-template-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <PermissionBoxes idPrefix="new-template" value={permissions} onChange={setPermissions} />
        <ErrorText error={createError} />
        <button type="submit" className="primary">
          {t('createTemplate')}
        </button>
      </form>
    </>
  );
}
