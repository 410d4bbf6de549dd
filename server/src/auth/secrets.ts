import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Credentials are `<prefix>_<43 random base62 chars><6 base62 chars of CRC32>`: 256 bits from the
 * CSPRNG, plus a checksum so a mistyped or made-up string is refused without a database lookup
 * (as GitHub's tokens do). Only the SHA-256 of the whole string is stored.
 */
export const KEY_PREFIX = 'nkl';
export const SESSION_PREFIX = 'nks';
export type SecretPrefix = typeof KEY_PREFIX | typeof SESSION_PREFIX;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43; // 43 base62 characters carry 256 bits
const CHECKSUM_LENGTH = 6;

/** Published for secret scanners (README): the shape of a Nøkkel key secret. */
export const KEY_SECRET_PATTERN = /\bnkl_[0-9A-Za-z]{49}\b/;
const TOKEN_SHAPE = /^(nkl|nks)_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

function toBase62(value: bigint, length: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < length; i++) {
    out = BASE62[Number(v % 62n)] + out;
    v /= 62n;
  }
  return out;
}

function checksum(prefixAndBody: string): string {
  return toBase62(BigInt(crc32(prefixAndBody)), CHECKSUM_LENGTH);
}

export interface IssuedSecret {
  /** The secret itself: handed to the caller once, never stored. */
  token: string;
  hash: string;
  hint: string;
}

/** SHA-256 hex of a credential: the lookup key in the database. */
export function hashSecret(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh secret with its hash and its overview hint (prefix and last 4 characters, R8). */
export function issueSecret(prefix: SecretPrefix): IssuedSecret {
  const body = toBase62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LENGTH);
  const head = `${prefix}_${body}`;
  const token = head + checksum(head);
  return { token, hash: hashSecret(token), hint: `${prefix}_…${token.slice(-4)}` };
}

/** Which kind of credential a string is, if its shape and checksum are right; null otherwise. */
export function recogniseSecret(token: string): SecretPrefix | null {
  const m = TOKEN_SHAPE.exec(token);
  if (!m) return null;
  const head = `${m[1]}_${m[2]}`;
  if (checksum(head) !== m[3]) return null;
  return m[1] as SecretPrefix;
}
