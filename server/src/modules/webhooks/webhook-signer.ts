import { createHmac, randomBytes } from 'node:crypto';

/**
 * R37: Standard Webhooks signing. A secret is `whsec_` + base64 of 32 random bytes; the HMAC key
 * is those bytes (the base64-decoded part after the prefix), as every Standard Webhooks verifier
 * expects.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret (256 bits from the operating system's CSPRNG). */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** Identifies a secret in the API without revealing it: prefix and last 4 characters. */
export function webhookSecretHint(secret: string): string {
  return `${WEBHOOK_SECRET_PREFIX}…${secret.slice(-4)}`;
}

function signingKey(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error('not a webhook secret');
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` for one secret. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

export interface SignedDelivery {
  /** The message id: the event's id, the same on every retry (receivers deduplicate on it). */
  id: string;
  /** When this attempt is sent. */
  at: Date;
  body: string;
  /** The current secret first; during a rotation's overlap also the previous one. */
  secrets: readonly string[];
}

/** The headers of one attempt: `webhook-id`, `webhook-timestamp` (Unix seconds), `webhook-signature`. */
export function webhookHeaders(delivery: SignedDelivery): Record<string, string> {
  const timestamp = Math.floor(delivery.at.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'Nokkel-Webhooks/1',
    'webhook-id': delivery.id,
    'webhook-timestamp': String(timestamp),
    // several signatures, space-separated: a receiver accepts the message if any one verifies
    'webhook-signature': delivery.secrets.map((s) => signature(s, delivery.id, timestamp, delivery.body)).join(' '),
  };
}

/** The body: `{ "type", "timestamp", "data" }`, `timestamp` being when the change happened. */
export function webhookBody(event: { type: string; at: Date; data: string }): string {
  return `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(event.at.toISOString())},"data":${event.data}}`;
}
