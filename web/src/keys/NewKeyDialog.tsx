import { useState, type FormEvent } from 'react';
import {
  WebCreateKeyDocument,
  WebNewKeyChoicesDocument,
  WebNewKeySelfOnlyDocument,
  type KeyAccessMode,
  type Permission,
} from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { ExpiryHint } from '../policy/ExpiryHint';
import { expiryBounds, expiryInstant, useKeyPolicy } from '../policy/key-policy';
import { useSession } from '../session/session';
import { useQuery } from '../session/use-query';
import { Dialog } from '../ui/Dialog';
import { ErrorText } from '../ui/ErrorText';
import { usePermissionCatalog } from '../ui/permissions';

const MODES: readonly KeyAccessMode[] = ['ALL_ACCESS', 'COPY_EMPLOYEE', 'CUSTOM'];

interface Props {
  onClose: () => void;
  onCreated: (token: string, name: string) => void;
}

/**
 * "Ny nøkkel" (R7, R13, R14): the application from the catalog or typed by hand (custom setup),
 * the three access modes, the accountant key tick, a name and an expiry within the company's key
 * policy (R29: required, at most so many days ahead); the server refuses keys outside it.
 */
export function NewKeyDialog({ onClose, onCreated }: Props) {
  const { t } = useI18n();
  const { client, viewer, can } = useSession();
  const { catalog, label } = usePermissionCatalog();
  // people to register the key on: everyone with EMPLOYEE_READ (USER_ADMIN manages their keys), else oneself
  const canPickOwner = can('EMPLOYEE_READ') && can('USER_ADMIN');
  const withPeople = useQuery(WebNewKeyChoicesDocument, {}, !canPickOwner);
  const selfOnly = useQuery(WebNewKeySelfOnlyDocument, {}, canPickOwner);
  const applications = (withPeople.data ?? selfOnly.data)?.applications.edges.map((e) => e.node) ?? [];
  const people = withPeople.data?.employees.edges.map((e) => e.node) ?? [];
  const me = viewer?.employee;
  const office = viewer?.company.kind === 'ACCOUNTING_OFFICE';
  const policy = useKeyPolicy();
  const bounds = expiryBounds(policy);

  const [ownerId, setOwnerId] = useState(me?.id ?? '');
  const [applicationId, setApplicationId] = useState('');
  const [custom, setCustom] = useState(false);
  const [customName, setCustomName] = useState('');
  const [mode, setMode] = useState<KeyAccessMode>('COPY_EMPLOYEE');
  const [picked, setPicked] = useState<Permission[]>([]);
  const [accountant, setAccountant] = useState(false);
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const application = applications.find((a) => a.id === applicationId);
  const accountantAllowed = custom || (application?.supportsAccountantKeys ?? false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { createUserKey } = await client.request(WebCreateKeyDocument, {
        input: {
          employeeId: ownerId,
          name: name.trim(),
          accessMode: mode,
          ...(custom ? { customApplicationName: customName.trim() } : { applicationId }),
          ...(mode === 'CUSTOM' ? { permissions: picked } : {}),
          ...(office ? { accountantKey: accountant && accountantAllowed } : {}),
          // the end of the chosen day in the browser's time zone, within the policy's longest lifetime
          ...(expiry ? { expiresAt: expiryInstant(expiry, policy) } : {}),
        },
      });
      onCreated(createUserKey.token, createUserKey.userKey.name);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('newKeyTitle')} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <label htmlFor="key-owner">{t('owner')}</label>
        <select id="key-owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)} required>
          {people.length === 0 && me ? <option value={me.id}>{me.name}</option> : null}
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>

        <label htmlFor="key-application">{t('application')}</label>
        <select
          id="key-application"
          value={applicationId}
          disabled={custom}
          required={!custom}
          onChange={(e) => {
            setApplicationId(e.target.value);
            const chosen = applications.find((a) => a.id === e.target.value);
            if (chosen && !name) setName(chosen.name);
          }}
        >
          <option value="">{t('chooseApplication')}</option>
          {applications.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.vendor ? ` (${a.vendor})` : ''}
            </option>
          ))}
        </select>
        <div className="check">
          <input id="key-custom" type="checkbox" checked={custom} onChange={(e) => setCustom(e.target.checked)} />
          <label htmlFor="key-custom">{t('customSetup')}</label>
        </div>
        {custom ? (
          <>
            <label htmlFor="key-custom-name">{t('customApplicationName')}</label>
            <input
              id="key-custom-name"
              required
              maxLength={100}
              value={customName}
              aria-describedby="key-custom-name-hint"
              onChange={(e) => setCustomName(e.target.value)}
            />
            <p id="key-custom-name-hint" className="hint">
              {t('customApplicationHint')}
            </p>
          </>
        ) : null}

        <fieldset>
          <legend>{t('accessModeLegend')}</legend>
          {MODES.map((m) => (
            <div className="radio" key={m}>
              <input
                id={`key-mode-${m}`}
                type="radio"
                name="key-mode"
                value={m}
                checked={mode === m}
                aria-describedby={`key-mode-${m}-help`}
                onChange={() => setMode(m)}
              />
              <label htmlFor={`key-mode-${m}`}>{t(`mode${m}`)}</label>
              <p id={`key-mode-${m}-help`} className="hint">
                {t(`mode${m}Help`)}
              </p>
            </div>
          ))}
          {mode === 'CUSTOM' ? (
            <ul className="permission-picks">
              {catalog.map((p) => (
                <li key={p.permission} className="check">
                  <input
                    id={`key-perm-${p.permission}`}
                    type="checkbox"
                    checked={picked.includes(p.permission)}
                    onChange={(e) =>
                      setPicked(e.target.checked ? [...picked, p.permission] : picked.filter((x) => x !== p.permission))
                    }
                  />
                  <label htmlFor={`key-perm-${p.permission}`}>{label(p.permission)}</label>
                </li>
              ))}
            </ul>
          ) : null}
        </fieldset>

        {office ? (
          <div className="check">
            <input
              id="key-accountant"
              type="checkbox"
              checked={accountant && accountantAllowed}
              disabled={!accountantAllowed}
              aria-describedby="key-accountant-help"
              onChange={(e) => setAccountant(e.target.checked)}
            />
            <label htmlFor="key-accountant">{t('accountantKey')}</label>
            <p id="key-accountant-help" className="hint">
              {accountantAllowed || !application ? t('accountantKeyHelp') : t('accountantKeyUnsupported')}
            </p>
          </div>
        ) : null}

        <label htmlFor="key-name">{t('keyName')}</label>
        <input
          id="key-name"
          required
          maxLength={100}
          value={name}
          aria-describedby="key-name-help"
          onChange={(e) => setName(e.target.value)}
        />
        <p id="key-name-help" className="hint">
          {t('keyNameHelp')}
        </p>

        <label htmlFor="key-expiry">{bounds.required ? t('expiresAtRequired') : t('expiresAt')}</label>
        <input
          id="key-expiry"
          type="date"
          required={bounds.required}
          min={bounds.min}
          max={bounds.max}
          value={expiry}
          aria-describedby="key-expiry-policy"
          onChange={(e) => setExpiry(e.target.value)}
        />
        <ExpiryHint id="key-expiry-policy" policy={policy} />

        <ErrorText error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('creatingKey') : t('createKey')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
