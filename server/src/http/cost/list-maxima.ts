import { MAX_CLIENTS_PER_CALL, MAX_TEMPLATES_PER_OFFICE } from '../../rules/client-access';
import { MAX_RECENT_NETWORKS } from '../../modules/keys/key-networks';
import { MAX_LISTED_OFFICES } from '../../modules/reach/client-panel.service';
import { MAX_USAGE_ROWS } from '../../modules/usage/usage.service';
import { MAX_LISTED_ATTEMPTS } from '../../modules/webhooks/webhook.resolver';
import { Permission } from '../../shared/permission';

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
  'Company.accountingOffices': MAX_LISTED_OFFICES,
  'UserKey.usage': MAX_USAGE_ROWS,
  'UserKey.recentNetworks': MAX_RECENT_NETWORKS,
};

/** A list whose maximum is `input` holds at most this many items. */
export const MAX_INPUT_LIST = MAX_CLIENTS_PER_CALL;
