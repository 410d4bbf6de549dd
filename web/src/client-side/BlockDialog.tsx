import { useState } from 'react';
import { WebSetClientBlockDocument } from '../generated/graphql';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { Dialog } from '../ui/Dialog';
import { ErrorText } from '../ui/ErrorText';
import type { Access } from './AccountantAccess';
import { blockKey, type BlockSubject, type KnownBlocks } from './blocks';

interface Choice {
  subject: BlockSubject;
  id: string;
  label: string;
}

/**
 * Blocks for one key or person of an office (R33): the key itself, its application (every key of
 * the office using it) or the person (their session and every key they own), each a switch saved
 * at once. Only the client's own account administrators get here; the office cannot change them.
 */
export function BlockDialog({
  officeId,
  access,
  known,
  onClose,
  onChanged,
}: {
  officeId: string;
  access: Access;
  known: KnownBlocks;
  onClose: () => void;
  onChanged: (subject: BlockSubject, id: string, blocked: boolean) => void;
}) {
  const { t, tf } = useI18n();
  const { client } = useSession();
  const choices: Choice[] = [
    ...(access.userKey ? [{ subject: 'userKeyId' as const, id: access.userKey.id, label: t('blockKey') }] : []),
    ...(access.application
      ? [
          {
            subject: 'applicationId' as const,
            id: access.application.id,
            label: tf('blockApplication', { name: access.application.name }),
          },
        ]
      : []),
    { subject: 'employeeId', id: access.employee.id, label: tf('blockPerson', { name: access.employee.name }) },
  ];
  const [on, setOn] = useState(
    () => new Set(choices.filter((c) => known.has(blockKey(officeId, c.subject, c.id))).map((c) => c.subject)),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const unknownBlock = access.blockedByClient && on.size === 0;

  async function set(choice: Choice, blocked: boolean) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await client.request(WebSetClientBlockDocument, {
        input: { officeId, blocked, [choice.subject]: choice.id },
      });
      setOn((s) => {
        const next = new Set(s);
        if (blocked) next.add(choice.subject);
        else next.delete(choice.subject);
        return next;
      });
      setSaved(true);
      onChanged(choice.subject, choice.id, blocked);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const who = access.userKey ? `${access.userKey.applicationName} · ${access.userKey.name}` : access.employee.name;
  return (
    <Dialog title={`${t('blocksTitle')}: ${who}`} onClose={onClose}>
      <p>{t('blocksIntro')}</p>
      {unknownBlock ? <p className="warning-soft">{t('blocksUnknown')}</p> : null}
      <fieldset className="blocks">
        <legend className="visually-hidden">{t('blocksTitle')}</legend>
        {choices.map((c, i) => (
          <div className="check switch" key={c.subject}>
            <input
              id={`block-${c.subject}`}
              type="checkbox"
              role="switch"
              checked={on.has(c.subject)}
              disabled={busy}
              data-autofocus={i === 0 ? true : undefined}
              onChange={(e) => void set(c, e.target.checked)}
            />
            <label htmlFor={`block-${c.subject}`}>{c.label}</label>
          </div>
        ))}
      </fieldset>
      <p role="status" className="status-line">
        {saved ? t('blocksSaved') : ''}
      </p>
      <ErrorText error={error} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </div>
    </Dialog>
  );
}
