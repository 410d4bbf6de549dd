import { In, IsNull, type EntityManager } from 'typeorm';
import type { ActingContext } from '../../auth/acting-context';
import { COMPROMISE_EDGES, REVOCATION_EDGES, revocationClosure } from '../../rules/provenance';
import { appendAudit } from '../audit/audit-log';
import { emitAccessEvents } from '../events/emit';
import type { NewAccessEvent } from '../events/event-types';
import { keysRevoked } from '../events/key-events';
import { UserKey } from './user-key.entity';
import { userKeyRepository } from './user-key.repository';

/** R26: the active keys that go down with `parents` (isRevokedWith), one edge after the other. */
async function childrenOf(manager: EntityManager, parents: string[]): Promise<string[]> {
  const children: string[] = [];
  const keys = userKeyRepository(manager);
  for (const edge of REVOCATION_EDGES) children.push(...(await keys.lockedActiveBy(edge, parents)));
  return children;
}

/**
 * R26: revokes `roots` and everything that goes down with them, recursively, in the caller's
 * transaction (whose roots are already locked), and audits each key. `spare` is never revoked nor
 * walked through: the key a compromised restore (R27) just handed a new secret to. Every key it
 * revokes gets its `user_key.revoked` event (R35), written with `alongside` (the caller's own
 * events) in one statement. Returns the ids revoked by this call.
 */
export async function revokeWithDescendants(
  manager: EntityManager,
  acting: ActingContext,
  roots: readonly string[],
  cause: { companyId: string; from: string; reason?: string },
  now: Date,
  spare: string | null = null,
  alongside: readonly NewAccessEvent[] = [],
): Promise<string[]> {
  const ids = await revocationClosure(
    roots.filter((id) => id !== spare),
    async (parents) => (await childrenOf(manager, parents)).filter((id) => id !== spare),
  );
  const toRevoke = await manager.findBy(UserKey, { id: In(ids), revokedAt: IsNull() });
  if (!toRevoke.length) {
    await emitAccessEvents(manager, alongside, now);
    return [];
  }
  await userKeyRepository(manager).revokeActive(
    toRevoke.map((k) => k.id),
    now,
  );
  await emitAccessEvents(manager, [...alongside, ...keysRevoked(toRevoke, cause)], now);
  await appendAudit(
    manager,
    acting,
    toRevoke.map((key) => ({
      action: 'userKey.revoke',
      companyId: key.companyId,
      targetType: 'UserKey',
      targetId: key.id,
      details:
        key.id === cause.from
          ? cause.reason
            ? { reason: cause.reason }
            : undefined
          : { cascadeFrom: cause.from, ...(cause.reason ? { reason: cause.reason } : {}) },
    })),
    now,
  );
  return toRevoke.map((k) => k.id);
}

/**
 * R27: the keys a compromised secret reached — those its holder created, and those whose current
 * secret its holder obtained — locked for writing, to be revoked with their descendants.
 */
export async function reachedByHolder(manager: EntityManager, holderId: string): Promise<string[]> {
  const reached: string[] = [];
  const keys = userKeyRepository(manager);
  for (const edge of COMPROMISE_EDGES) reached.push(...(await keys.lockedActiveBy(edge, [holderId])));
  return reached;
}
