import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorText } from '../ui/ErrorText';
import { EVENT_LABELS, EVENT_TYPES } from './event-labels';
import { eventData, readFeed, type AccessEvent } from './feed';

/** "Hendelser": the access events feed of the acting company (R35, R36), newest first, by type. */
export function EventsFeed() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const [type, setType] = useState('');
  const [events, setEvents] = useState<AccessEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    setError(null);
    readFeed(client, type ? [type] : undefined).then(
      (list) => current && setEvents(list.reverse()),
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [client, type]);
  return (
    <>
      <h1 tabIndex={-1}>{t('eventsTitle')}</h1>
      <p className="intro">{t('eventsIntro')}</p>
      <div className="filter-row">
        <label htmlFor="event-type">{t('eventFilter')}</label>
        <select id="event-type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">{t('eventAll')}</option>
          {EVENT_TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(EVENT_LABELS[ty] ?? 'none')}
            </option>
          ))}
        </select>
      </div>
      <ErrorText error={error} />
      {events === null && !error ? <p className="loading">{t('loading')}</p> : null}
      {events ? (
        <table>
          <caption className="visually-hidden">
            {t('eventsTitle')}: {events.length} {t('eventsCount')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('colWhen')}</th>
              <th scope="col">{t('colEvent')}</th>
              <th scope="col">{t('colDetails')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => {
              const known = EVENT_LABELS[event.type];
              return (
                <tr key={event.id} data-type={event.type}>
                  <td>{formatDateTime(event.at)}</td>
                  <td>
                    {known ? t(known) : null}
                    <div className="hint">
                      <code>{event.type}</code>
                    </div>
                  </td>
                  <td className="details">
                    {Object.entries(eventData(event))
                      .filter(([, v]) => v !== null)
                      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
                      .join(' · ')}
                  </td>
                </tr>
              );
            })}
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
