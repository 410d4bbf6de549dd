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

function encodeRandom(bytes: Buffer): string {
  // 80 bits -> 16 base32 characters
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}

function incrementRandom(bytes: Buffer): Buffer {
  const next = Buffer.from(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 255) {
      next[i]++;
      return next;
    }
    next[i] = 0;
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
