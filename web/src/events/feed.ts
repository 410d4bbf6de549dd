import type { AppClient } from '../session/session';
import { WebAccessEventsDocument, type WebAccessEventsQuery } from '../generated/graphql';

export type AccessEvent = WebAccessEventsQuery['accessEvents']['edges'][number]['node'];

/** A screen keeps at most this many events: the newest. */
const KEEP = 1000;
/** At most this many events are read for a screen (100 pages of the feed, oldest first). */
const SCAN = 10_000;

/**
 * Reads the acting company's access events (R36), oldest first, page after page, and keeps the
 * newest `keep` of them: the feed has no newest-first order, so a screen reads it to its end.
 */
export async function readFeed(client: AppClient, types?: string[], keep = KEEP): Promise<AccessEvent[]> {
  const events: AccessEvent[] = [];
  let read = 0;
  for await (const event of client.paginate(WebAccessEventsDocument, types ? { types } : {}, { pageSize: 100 })) {
    events.push(event);
    if (events.length > keep) events.shift();
    if (++read >= SCAN) break;
  }
  return events;
}

/** An event's data (JSON of ids and facts, never a secret) as an object. */
export function eventData(event: AccessEvent): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(event.data);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
