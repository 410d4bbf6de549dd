import type { NokkelClient } from '@nokkel/client-sdk';
import { WebAccessEventsDocument, type WebAccessEventsQuery } from '../generated/graphql';

export type AccessEvent = WebAccessEventsQuery['accessEvents']['edges'][number]['node'];

/** At most this many events are read for a screen by default (the feed is oldest first). */
const LIMIT = 1000;

/** Reads the acting company's access events (R36), oldest first, page after page. */
export async function readFeed(client: NokkelClient, types?: string[], limit = LIMIT): Promise<AccessEvent[]> {
  const events: AccessEvent[] = [];
  for await (const event of client.paginate(WebAccessEventsDocument, types ? { types } : {}, { pageSize: 100 })) {
    events.push(event);
    if (events.length >= limit) break;
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
