import type { MessageKey } from '../i18n/i18n';

/** The access event types (the README's table) with their words on the screen. */
export const EVENT_LABELS: Readonly<Record<string, MessageKey>> = {
  'user_key.created': 'evUserKeyCreated',
  'user_key.revoked': 'evUserKeyRevoked',
  'user_key.restored': 'evUserKeyRestored',
  'user_key.expiring': 'evUserKeyExpiring',
  'user_key.expired': 'evUserKeyExpired',
  'user_key.permissions_reduced': 'evUserKeyPermissionsReduced',
  'user_key.leak_reported': 'evUserKeyLeakReported',
  'client.api_access_changed': 'evClientApiAccessChanged',
  'client.block_changed': 'evClientBlockChanged',
  'client_link.created': 'evClientLinkCreated',
  'client_link.removed': 'evClientLinkRemoved',
  'client_link.template_changed': 'evClientLinkTemplateChanged',
  'access_template.updated': 'evAccessTemplateUpdated',
  'key_policy.updated': 'evKeyPolicyUpdated',
};

export const EVENT_TYPES = Object.keys(EVENT_LABELS);
