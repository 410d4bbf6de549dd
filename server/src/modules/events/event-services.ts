import type { Database } from '../../db/database';
import type { Logger } from '../../shared/logger';
import { SecretBox } from '../webhooks/secret-box';
import { AddressGuard } from '../webhooks/ssrf-guard';
import { WebhookService } from '../webhooks/webhook.service';
import { EventEngine } from './event-engine';
import type { EventSettings } from './event-settings';

/** The events and webhooks of one server: the endpoints' service and the engine (start/stop). */
export interface EventServices {
  readonly webhooks: WebhookService;
  readonly engine: EventEngine;
}

/** Builds the events and webhooks services from the settings (README: Access events and webhooks). */
export function createEventServices(
  db: Database,
  settings: EventSettings,
  log: Logger,
  production: boolean,
): EventServices {
  const box = new SecretBox(settings.secretKey);
  if (production && !box.sealing)
    log.warn('WEBHOOK_SECRET_KEY is not set: webhook signing secrets are stored unsealed in the database');
  const guard = new AddressGuard(settings.allowPrivateNetworks);
  if (settings.allowPrivateNetworks)
    log.warn('WEBHOOK_ALLOW_PRIVATE_NETWORKS is on: webhooks may reach private networks and use http');
  return { webhooks: new WebhookService(db, box, guard), engine: new EventEngine(db, settings, log, box, guard) };
}
