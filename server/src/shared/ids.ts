import { randomBytes } from 'node:crypto';

/** Prefixes make IDs self-describing (`key_…` is a user key) and keep IDs of different kinds disjoint. */
export const ID_PREFIX = {
  company: 'cmp',
  employee: 'emp',
  application: 'app',
  userKey: 'key',
  keySecret: 'sec',
  accessTemplate: 'tpl',
  clientRelation: 'rel',
  clientLink: 'lnk',
  session: 'ses',
  auditEvent: 'aud',
  customer: 'cus',
  timesheetEntry: 'hrs',
  invoice: 'inv',
  accessEvent: 'evt',
  webhookEndpoint: 'whe',
  webhookDelivery: 'whd',
  webhookAttempt: 'wha',
  clientBlock: 'blk',
  sensitiveRead: 'srd',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = 0;
let lastRandom: Buffer = Buffer.alloc(10);

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** 80 random bits as 16 base32 characters, most significant first (5 bits each, no remainder). */
export function encodeRandom(bytes: Uint8Array): string {
  let out = '';
  let pending = 0;
  let pendingBits = 0;
  for (const byte of bytes) {
    pending = (pending << 8) | byte;
    pendingBits += 8;
    while (pendingBits >= 5) {
      pendingBits -= 5;
      out += CROCKFORD[(pending >> pendingBits) & 31];
    }
    pending &= (1 << pendingBits) - 1;
  }
  return out;
}

/** The next random part within one millisecond: the last one plus one, in place (a bulk call makes thousands). */
function incrementRandom(bytes: Buffer): Buffer {
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] < 255) {
      bytes[i]++;
      return bytes;
    }
    bytes[i] = 0;
  }
  return randomBytes(10);
}

/**
 * A new opaque ID: prefix + monotonic ULID. IDs sort by creation time, which keyset pagination
 * relies on, and never repeat within a process even inside the same millisecond.
 */
export function newId(kind: IdKind): string {
  const now = Date.now();
  if (now <= lastTime) {
    lastRandom = incrementRandom(lastRandom);
  } else {
    lastTime = now;
    lastRandom = randomBytes(10);
  }
  return `${ID_PREFIX[kind]}_${encodeTime(lastTime)}${encodeRandom(lastRandom)}`;
}

const ID_PATTERN = /^[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Whether a string has the shape of an ID of the given kind (no database lookup). */
export function isIdOf(kind: IdKind, value: string): boolean {
  return ID_PATTERN.test(value) && value.startsWith(`${ID_PREFIX[kind]}_`);
}
