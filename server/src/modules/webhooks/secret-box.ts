import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const SEALED = 'v1.aes256gcm.';
const PLAIN = 'v1.plain.';

/**
 * R37: how webhook signing secrets are stored. Unlike key secrets (only a hash is kept, R8), the
 * server must read a webhook secret back to sign each delivery, so a hash will not do. With
 * `WEBHOOK_SECRET_KEY` set (32 bytes, base64) secrets are sealed with AES-256-GCM, the endpoint's
 * id bound in as associated data so a sealed value cannot be moved to another endpoint; a copy
 * of the database alone then cannot forge deliveries. Without it (the embedded default, for
 * development) they are stored as they are, marked so, and the server warns in production.
 */
export class SecretBox {
  constructor(private readonly key: Buffer | null) {
    if (key && key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes');
  }

  get sealing(): boolean {
    return this.key !== null;
  }

  seal(secret: string, endpointId: string): string {
    if (!this.key) return PLAIN + secret;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(endpointId, 'utf8'));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${SEALED}${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}.${sealed.toString('base64')}`;
  }

  /** The secret; throws (without revealing anything) when it was sealed with another key or none is set. */
  open(stored: string, endpointId: string): string {
    if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
    if (!stored.startsWith(SEALED)) throw new Error('unknown webhook secret format');
    if (!this.key) throw new Error('the signing secret is sealed, and WEBHOOK_SECRET_KEY is not set');
    const [iv, tag, sealed] = stored.slice(SEALED.length).split('.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(endpointId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the signing secret cannot be opened with the configured WEBHOOK_SECRET_KEY');
    }
  }
}
