import type { UserKeyRecord } from '../shared/records';
import type { ActingContext } from '../auth/acting-context';
import { Unauthenticated } from '../shared/errors';
import { keyStatusAt } from './keys';
import { UserKeyStatus } from '../shared/domain-enums';

/**
 * A key's secret is held by someone: an integration, a person, or whoever obtained it. A *holder*
 * is the line of secrets of one key that one party held: a new holder starts when a key is created
 * or restored by someone other than the key itself; a key restoring itself keeps its holder (the
 * same party gets the new secret). Provenance is recorded per holder, so it survives self-restores.
 */

/** The provenance columns of a key: who created it, and who obtained its current secret. */
export interface KeyProvenance {
  createdByEmployeeId: string | null;
  createdByUserKeyId: string | null;
  /** The holder of the creating key's secret at the time: R27 revokes by it. */
  createdByHolderId: string | null;
  secretHolderId: string;
  secretIssuedByUserKeyId: string | null;
  secretIssuedByHolderId: string | null;
}

type Provenanced = Pick<
  UserKeyRecord,
  | 'id'
  | 'secretHolderId'
  | 'secretIssuedByUserKeyId'
  | 'secretIssuedByHolderId'
  | 'createdByUserKeyId'
  | 'createdByHolderId'
>;

/** R25: the holder of a key's current secret (keys from before holders were recorded: the key itself). */
export function secretHolderOf(key: Pick<UserKeyRecord, 'id' | 'secretHolderId'>): string {
  return key.secretHolderId ?? key.id;
}

/**
 * R25: the provenance of a new key: the person and — when a key made the request — the key (and
 * its holder) that created it. Its first secret goes to whoever made the request: a new holder.
 */
export function provenanceOfNewKey(acting: ActingContext, newKeyId: string): KeyProvenance {
  return {
    createdByEmployeeId: acting.employee?.id ?? null,
    createdByUserKeyId: acting.userKey?.id ?? null,
    createdByHolderId: acting.userKey ? secretHolderOf(acting.userKey) : null,
    secretHolderId: newKeyId,
    secretIssuedByUserKeyId: null,
    secretIssuedByHolderId: null,
  };
}

/**
 * R25: the provenance of a restored secret. Restored by another key, that key obtained it; by a
 * person in a session, no key did. Restored by the key itself, the same holder gets it, so who
 * obtained the secret before stays recorded: a self-restore never launders a secret that another
 * key obtained out of that key's revocation (R26).
 */
export function provenanceOfRestore(
  acting: ActingContext,
  key: Provenanced,
  newHolderId: string,
): Pick<KeyProvenance, 'secretHolderId' | 'secretIssuedByUserKeyId' | 'secretIssuedByHolderId'> {
  const by = acting.userKey;
  if (by && by.id === key.id) {
    return {
      secretHolderId: secretHolderOf(key),
      secretIssuedByUserKeyId: key.secretIssuedByUserKeyId,
      secretIssuedByHolderId: key.secretIssuedByHolderId,
    };
  }
  return {
    secretHolderId: newHolderId,
    secretIssuedByUserKeyId: by?.id ?? null,
    secretIssuedByHolderId: by ? secretHolderOf(by) : null,
  };
}

/** R26: the columns that tie a key to the keys it goes down with: its creator, and who obtained its secret. */
export const REVOCATION_EDGES = ['createdByUserKeyId', 'secretIssuedByUserKeyId'] as const;

/**
 * R26: whether a key goes down with revoked keys: it was created by one of them, or its current
 * secret was obtained by one of them.
 */
export function isRevokedWith(
  key: Pick<UserKeyRecord, (typeof REVOCATION_EDGES)[number]>,
  revoked: ReadonlySet<string>,
): boolean {
  return REVOCATION_EDGES.some((edge) => key[edge] !== null && revoked.has(key[edge]));
}

/**
 * R26: every key revoked with `roots`, recursively — the roots, the keys they created or whose
 * secret they obtained, theirs, and so on. `childrenOf(parents)` answers the keys that go down with
 * `parents` (isRevokedWith); the walk asks it level by level and stops when nothing new comes.
 */
export async function revocationClosure(
  roots: readonly string[],
  childrenOf: (parents: string[]) => Promise<readonly string[]>,
): Promise<string[]> {
  const revoked = new Set(roots);
  for (let parents = [...revoked]; parents.length;) {
    const next = (await childrenOf(parents)).filter((id) => !revoked.has(id));
    parents = [...new Set(next)];
    parents.forEach((id) => revoked.add(id));
  }
  return [...revoked];
}

/**
 * R26: a key making a request must still be valid when its change commits. Checked inside the
 * transaction on the key's row, locked, so a revoke (which locks the same row first) and a create
 * or restore by that key cannot interleave: either the revoke sees the new key, or the new key is
 * refused. Also refused: a secret replaced since the request began.
 */
export function assertActingKeyStillValid(
  acting: ActingContext,
  locked: Pick<UserKeyRecord, 'revokedAt' | 'expiresAt' | 'secretHash'> | null,
  now: Date,
): void {
  if (!acting.userKey) return;
  if (!locked || locked.secretHash !== acting.userKey.secretHash) {
    throw new Unauthenticated('This key’s secret was replaced while the request ran; it is no longer valid.');
  }
  const status = keyStatusAt(locked, now);
  if (status === UserKeyStatus.REVOKED) throw new Unauthenticated('This key has been revoked.');
  if (status === UserKeyStatus.EXPIRED) throw new Unauthenticated('This key has expired.');
}

/** R27: the columns that tie a key to the holder of a secret: the holder created it, or obtained its secret. */
export const COMPROMISE_EDGES = ['createdByHolderId', 'secretIssuedByHolderId'] as const;

/**
 * R27: what a compromised secret reached: the keys its holder created, and the keys whose current
 * secret its holder obtained. Restoring with `compromised: true` revokes these (and, as R26, all
 * that goes down with them); the restored key itself gets a new secret and stays.
 */
export function isReachedByHolder(
  key: Pick<UserKeyRecord, (typeof COMPROMISE_EDGES)[number]>,
  holderId: string,
): boolean {
  return COMPROMISE_EDGES.some((edge) => key[edge] === holderId);
}
