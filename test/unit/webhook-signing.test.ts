import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { SecretBox } from '../../server/src/modules/webhooks/secret-box';
import {
  newWebhookSecret,
  signature,
  webhookBody,
  webhookHeaders,
  webhookSecretHint,
} from '../../server/src/modules/webhooks/webhook-signer';

describe('R37: Standard Webhooks signing, judged by the standardwebhooks package', () => {
  test('R37: a secret is whsec_ + base64 of 32 random bytes, and never repeats', () => {
    const secrets = Array.from({ length: 500 }, newWebhookSecret);
    expect(new Set(secrets).size).toBe(500);
    for (const secret of secrets.slice(0, 20)) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    }
    expect(webhookSecretHint(secrets[0])).toBe(`whsec_…${secrets[0].slice(-4)}`);
  });

  test('R37: the headers and body verify with the package, and a changed body, id or timestamp does not', () => {
    const secret = newWebhookSecret();
    const body = webhookBody({
      type: 'user_key.revoked',
      at: new Date('2026-11-02T10:00:00.123Z'),
      data: '{"userKeyId":"key_1","ownerId":"emp_1"}',
    });
    expect(JSON.parse(body)).toEqual({
      type: 'user_key.revoked',
      timestamp: '2026-11-02T10:00:00.123Z',
      data: { userKeyId: 'key_1', ownerId: 'emp_1' },
    });
    const headers = webhookHeaders({ id: 'evt_01', at: new Date(), body, secrets: [secret] });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('key_1', 'key_2'), headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_02' })).toThrow();
    const ts = Number(headers['webhook-timestamp']);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': String(ts + 1) })).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  test('R37: during a rotation both signatures travel space-separated, and each secret verifies on its own', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const body = '{"type":"x","timestamp":"2026-01-01T00:00:00.000Z","data":{}}';
    const headers = webhookHeaders({ id: 'evt_9', at: new Date(), body, secrets: [current, previous] });
    const parts = headers['webhook-signature'].split(' ');
    expect(parts).toHaveLength(2);
    expect(parts.every((p) => p.startsWith('v1,'))).toBe(true);
    expect(new Webhook(current).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
    const at = new Date(Number(headers['webhook-timestamp']) * 1000);
    expect(parts[0]).toBe(new Webhook(current).sign('evt_9', at, body));
    expect(signature(previous, 'evt_9', Number(headers['webhook-timestamp']), body)).toBe(parts[1]);
  });
});

describe('R37: signing secrets at rest', () => {
  test('R37: sealed with WEBHOOK_SECRET_KEY, a secret is unreadable in the stored form and opens only for its endpoint', () => {
    const box = new SecretBox(randomBytes(32));
    const secret = newWebhookSecret();
    const stored = box.seal(secret, 'whe_A');
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(box.open(stored, 'whe_A')).toBe(secret);
    expect(() => box.open(stored, 'whe_B')).toThrow(/cannot be opened/);
    expect(() => new SecretBox(randomBytes(32)).open(stored, 'whe_A')).toThrow(/cannot be opened/);
    expect(() => new SecretBox(null).open(stored, 'whe_A')).toThrow(/WEBHOOK_SECRET_KEY is not set/);
  });

  test('without a key, secrets are stored as they are and marked so (the embedded default)', () => {
    const box = new SecretBox(null);
    const secret = newWebhookSecret();
    expect(box.sealing).toBe(false);
    expect(box.seal(secret, 'whe_A')).toBe(`v1.plain.${secret}`);
    expect(box.open(box.seal(secret, 'whe_A'), 'whe_A')).toBe(secret);
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
