import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorText } from '../ui/ErrorText';
import { eventData, readFeed, type AccessEvent } from './feed';

/** "Hendelser": the access events feed (R36), newest first. */
export function EventsFeed() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const [events, setEvents] = useState<AccessEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    readFeed(client).then(
      (list) => setEvents(list.reverse()),
      (e: unknown) => setError(e),
    );
  }, [client]);
  return (
    <>
      <h1 tabIndex={-1}>{t('eventsTitle')}</h1>
      <p className="intro">{t('eventsIntro')}</p>
      <ErrorText error={error} />
      {events === null && !error ? <p className="loading">{t('loading')}</p> : null}
      {events ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('colWhen')}</th>
              <th scope="col">{t('colEvent')}</th>
              <th scope="col">{t('colDetails')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td>{formatDateTime(event.at)}</td>
                <td>
                  <code>{event.type}</code>
                </td>
                <td className="details">
                  {Object.entries(eventData(event))
                    .filter(([, v]) => v !== null)
                    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
                    .join(' · ')}
                </td>
              </tr>
            ))}
            {events.length === 0 ? (
              <tr>
                <td colSpan={3}>{t('noEvents')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
