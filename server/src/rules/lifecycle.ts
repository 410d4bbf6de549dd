import type { CompanyRecord, UserKeyRecord } from '../shared/records';
import { BadUserInput, InputCheck, KeyPolicyViolation, NetworkNotAllowed } from '../shared/errors';
import { addressInCidrs, canonicalCidr, cidrWithin } from '../shared/networks';

const DAY_MS = 24 * 60 * 60 * 1000;

/** R28: the longest a restore may keep the previous secret working: 7 days, in seconds. */
export const MAX_PREVIOUS_SECRET_OVERLAP_S = 604_800;

/**
 * R28: until when a restore keeps the previous secret working — null for a hard cut (0, the
 * default). 0–604800 seconds, and never with `compromised: true`: a secret thought lost is not
 * kept alive for anyone.
 */
export function previousSecretExpiry(keepPreviousSecretFor: number, compromised: boolean, now: Date): Date | null {
  new InputCheck()
    .require(
      Number.isInteger(keepPreviousSecretFor) &&
        keepPreviousSecretFor >= 0 &&
        keepPreviousSecretFor <= MAX_PREVIOUS_SECRET_OVERLAP_S,
      'keepPreviousSecretFor',
      `must be a whole number of seconds, 0–${MAX_PREVIOUS_SECRET_OVERLAP_S}`,
    )
    .require(
      !(compromised && keepPreviousSecretFor > 0),
      'keepPreviousSecretFor',
      'cannot keep a compromised secret working; restore with compromised: true and no overlap',
    )
    .done();
  return keepPreviousSecretFor > 0 ? new Date(now.getTime() + keepPreviousSecretFor * 1000) : null;
}

/**
 * R28 (and R9): whether a stored secret opens its key now — the current secret always (R10
 * decides the rest), the previous one only until its overlap ends.
 */
export function secretOpensKey(secret: { expiresAt: Date | null }, now: Date): boolean {
  return secret.expiresAt === null || secret.expiresAt.getTime() > now.getTime();
}

/** R29: a company's key policy. */
export interface KeyPolicyValues {
  requireExpiry: boolean;
  maxLifetimeDays: number | null;
  expireUnusedAfterDays: number | null;
}

const MAX_POLICY_DAYS = 3650;

/** R29: the policy stored on a company. */
export function keyPolicyOf(
  company: Pick<
    CompanyRecord,
    'keyPolicyRequireExpiry' | 'keyPolicyMaxLifetimeDays' | 'keyPolicyExpireUnusedAfterDays'
  >,
): KeyPolicyValues {
  return {
    requireExpiry: Boolean(company.keyPolicyRequireExpiry),
    maxLifetimeDays: company.keyPolicyMaxLifetimeDays ?? null,
    expireUnusedAfterDays: company.keyPolicyExpireUnusedAfterDays ?? null,
  };
}

/** R29: a new policy is well formed: each day count, when given, 1–3650. */
export function validKeyPolicy(input: KeyPolicyValues): KeyPolicyValues {
  const check = new InputCheck();
  for (const field of ['maxLifetimeDays', 'expireUnusedAfterDays'] as const) {
    const days = input[field];
    check.require(
      days == null || (Number.isInteger(days) && days >= 1 && days <= MAX_POLICY_DAYS),
      field,
      `must be a whole number of days, 1–${MAX_POLICY_DAYS}, or null for no limit`,
    );
  }
  check.done();
  return {
    requireExpiry: input.requireExpiry,
    maxLifetimeDays: input.maxLifetimeDays ?? null,
    expireUnusedAfterDays: input.expireUnusedAfterDays ?? null,
  };
}

/**
 * R29: a key created, restored or changed now must keep its company's policy: an expiry when one
 * is required, and no later than `maxLifetimeDays` from now (a lifetime limit implies an expiry).
 * KEY_POLICY_VIOLATION names the limit.
 */
export function assertWithinKeyPolicy(policy: KeyPolicyValues, expiresAt: Date | null, now: Date): void {
  if (policy.maxLifetimeDays !== null) {
    const latest = now.getTime() + policy.maxLifetimeDays * DAY_MS;
    if (expiresAt === null || expiresAt.getTime() > latest) {
      throw new KeyPolicyViolation(
        'maxLifetimeDays',
        `The company's key policy limits a key's lifetime to ${policy.maxLifetimeDays} days (maxLifetimeDays): give an expiry no later than ${new Date(latest).toISOString()}.`,
      );
    }
  }
  if (policy.requireExpiry && expiresAt === null) {
    throw new KeyPolicyViolation(
      'requireExpiry',
      "The company's key policy requires every key to have an expiry (requireExpiry): give expiresAt.",
    );
  }
}

/**
 * R29: whether a key has gone unused for the policy's days — since its last use, or since its
 * creation if it was never used. The sweep applies this in one set-based statement.
 */
export function isUnusedPastPolicy(
  key: Pick<UserKeyRecord, 'lastUsedAt' | 'createdAt'>,
  expireUnusedAfterDays: number,
  now: Date,
): boolean {
  const since = (key.lastUsedAt ?? key.createdAt).getTime();
  return since + expireUnusedAfterDays * DAY_MS <= now.getTime();
}

/** R30: the most networks one key's allowlist holds. */
export const MAX_ALLOWED_NETWORKS = 50;

/**
 * R30: an allowlist as given — at most 50 IPv4 or IPv6 CIDRs — in canonical form, without
 * duplicates. BAD_USER_INPUT names each entry that is not a CIDR.
 */
export function allowedNetworksInput(cidrs: readonly string[]): string[] {
  const check = new InputCheck();
  check.require(cidrs.length <= MAX_ALLOWED_NETWORKS, 'cidrs', `at most ${MAX_ALLOWED_NETWORKS} networks`);
  check.done();
  const canonical = cidrs.map((cidr) => canonicalCidr(cidr));
  canonical.forEach((cidr, i) =>
    check.require(cidr !== null, `cidrs[${i}]`, 'must be an IPv4 or IPv6 network in CIDR notation, e.g. 192.0.2.0/24'),
  );
  check.done();
  return [...new Set(canonical as string[])];
}

/** R30: a key with an allowlist is refused from any other address, before anything else is decided. */
export function assertNetworkAllowed(key: Pick<UserKeyRecord, 'allowedNetworks'>, clientAddress: string): void {
  const allowed = key.allowedNetworks;
  if (allowed.length > 0 && !addressInCidrs(clientAddress, allowed)) throw new NetworkNotAllowed();
}

/**
 * R30 with R6: a key restricted to some networks cannot hand out what escapes them — an allowlist
 * it sets (on itself or another key) must lie inside its own, and cannot be emptied (anywhere).
 * People and unrestricted keys are not limited.
 */
export function assertNetworksWithinActingKey(
  actingKey: Pick<UserKeyRecord, 'allowedNetworks'> | null,
  requested: readonly string[],
): void {
  const own = actingKey?.allowedNetworks ?? [];
  if (own.length === 0) return;
  const outside = requested.filter((cidr) => !own.some((mine) => cidrWithin(cidr, mine)));
  if (requested.length === 0 || outside.length > 0) {
    throw new BadUserInput([
      {
        field: 'cidrs',
        message: `a key limited to ${own.join(', ')} can only set networks inside them${outside.length ? ` (not ${outside.join(', ')})` : ' (not anywhere)'}`,
      },
    ]);
  }
}

/** R31: how many strings one leak report may hold. */
export const MAX_LEAK_REPORT = 1000;

/** R31: a leak report holds 1–1,000 strings. */
export function assertLeakReportSize(secrets: readonly string[]): void {
  new InputCheck()
    .require(secrets.length >= 1 && secrets.length <= MAX_LEAK_REPORT, 'secrets', `give 1–${MAX_LEAK_REPORT} strings`)
    .done();
}
