import type { AccessEvent } from '../events/feed';
import { eventData } from '../events/feed';
import type { WebApiAccessTrailQuery } from '../generated/graphql';

/** An accounting office as the client's screen knows it. */
export interface Office {
  id: string;
  name: string | null;
  apiAccess: boolean;
}

type Trail = WebApiAccessTrailQuery['auditEvents']['edges'][number]['node'];

function parse(details: string | null): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(details ?? '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The client's offices as its own records show them, until R33 (Company.accountingOffices) lists
 * them: each office named by an access event (links, switches) or by a switch in the audit log.
 * The switch is on unless the latest record of it says off (on by default, R18).
 */
export function officesFrom(
  events: readonly AccessEvent[],
  trail: readonly Trail[],
  names: Record<string, string>,
): Office[] {
  const offices = new Map<string, Office & { at: string }>();
  const see = (id: string, at: string, enabled: boolean | undefined) => {
    const known = offices.get(id) ?? { id, name: names[id] ?? null, apiAccess: true, at: '' };
    if (enabled !== undefined && at >= known.at) Object.assign(known, { apiAccess: enabled, at });
    offices.set(id, known);
  };
  for (const event of events) {
    const data = eventData(event);
    if (typeof data.officeId !== 'string') continue;
    const enabled =
      event.type === 'client.api_access_changed' && typeof data.enabled === 'boolean' ? data.enabled : undefined;
    see(data.officeId, event.at, enabled);
  }
  for (const entry of trail) {
    if (entry.action !== 'client.setApiAccess' || !entry.targetId) continue;
    const enabled = parse(entry.details).enabled;
    see(entry.targetId, entry.at, typeof enabled === 'boolean' ? enabled : undefined);
  }
  return [...offices.values()].map(({ id, name, apiAccess }) => ({ id, name, apiAccess }));
}
