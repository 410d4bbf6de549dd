import { WebKeyPolicyDocument, type KeyPolicyFieldsFragment } from '../generated/graphql';
import { useQuery } from '../session/use-query';

const DAY = 86_400_000;
/** Slack for the clock and the request's way to the server: an expiry at the limit is refused. */
const SLACK = 5 * 60_000;

/** A day in the browser's time zone as YYYY-MM-DD (what <input type="date"> holds). */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The acting company's key policy (R29); null while unknown or when there is none to read. */
export function useKeyPolicy(): KeyPolicyFieldsFragment | null {
  const { data } = useQuery(WebKeyPolicyDocument, {});
  return data?.company.keyPolicy ?? null;
}

export interface ExpiryBounds {
  /** The policy requires an expiry date. */
  required: boolean;
  /** The last day the policy allows (YYYY-MM-DD), when it limits the lifetime. */
  max: string | undefined;
  /** The first day that can be chosen: today. */
  min: string;
}

/** The expiry dates a key may get now under the policy (the server decides; this guides the field). */
export function expiryBounds(policy: KeyPolicyFieldsFragment | null, now = new Date()): ExpiryBounds {
  const max = policy?.maxLifetimeDays ? localDay(new Date(now.getTime() + policy.maxLifetimeDays * DAY)) : undefined;
  return { required: policy?.requireExpiry ?? false, max, min: localDay(now) };
}

/**
 * The instant for a chosen day: its end in the browser's time zone, but never past the policy's
 * longest lifetime counted from now (the last allowed day would otherwise overshoot by hours).
 */
export function expiryInstant(day: string, policy: KeyPolicyFieldsFragment | null, now = new Date()): string {
  const endOfDay = new Date(`${day}T23:59:59`).getTime();
  const limit = policy?.maxLifetimeDays ? now.getTime() + policy.maxLifetimeDays * DAY - SLACK : Infinity;
  return new Date(Math.min(endOfDay, limit)).toISOString();
}
