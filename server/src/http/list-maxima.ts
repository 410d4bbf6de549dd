import { MAX_CLIENTS_PER_CALL, MAX_TEMPLATES_PER_OFFICE } from '../rules/client-access';
import { Permission } from '../shared/permission';

/** The most attempts `WebhookDelivery.attempts` lists (the newest ones). */
export const MAX_LISTED_ATTEMPTS = 50;

/**
 * The server's maximum length of every plain list of objects in the schema (`Type.field`), which is
 * what the cost walker charges for it. `input` means "as many as the list items in the arguments of
 * the field above it" (a bulk call's payload). Connections are paged by `first` and are not here;
 * test/unit/query-cost.test.ts fails when a new plain list is added without a maximum.
 */
export const LIST_MAXIMA: Readonly<Record<string, number | 'input'>> = {
  'Query.accessTemplates': MAX_TEMPLATES_PER_OFFICE,
  'Query.permissions': Object.keys(Permission).length,
  'UserKey.permissionGrants': Object.keys(Permission).length,
  'WebhookDelivery.attempts': MAX_LISTED_ATTEMPTS,
  'BulkLinkClientsPayload.links': 'input',
};

/** A list whose maximum is `input` holds at most this many items. */
export const MAX_INPUT_LIST = MAX_CLIENTS_PER_CALL;
