import type { MessageKey } from '../i18n/i18n';
import type { UserKeyStatus, WebClientSwitchesQuery } from '../generated/graphql';

export interface ReachVerdict {
  ok: boolean;
  label: MessageKey;
}

/**
 * Whether an accountant key can act at a linked client, for display (the server decides, R17):
 * the key is active, the office's Integrations add-on is active and the client's API switch is on.
 * R32 (UserKey.reach with canAct and blockedReason) replaces this once it is in the schema; it also
 * knows the client's blocks (R33) and a deactivated owner (R23), which this view cannot see.
 */
export function reachAt(
  clientId: string,
  status: UserKeyStatus,
  switches: WebClientSwitchesQuery | undefined,
): ReachVerdict {
  if (status !== 'ACTIVE') return { ok: false, label: 'reachKeyInactive' };
  if (!switches) return { ok: false, label: 'reachUnknown' };
  if (!switches.company.integrationsActive) return { ok: false, label: 'reachIntegrationsOff' };
  const client = switches.clients.edges.find((e) => e.node.company.id === clientId)?.node;
  if (!client) return { ok: false, label: 'reachUnknown' };
  return client.apiAccess ? { ok: true, label: 'reachYes' } : { ok: false, label: 'reachApiOff' };
}
