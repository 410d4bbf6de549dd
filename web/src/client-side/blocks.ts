import { eventData, readFeed } from '../events/feed';
import type { AppClient } from '../session/session';

/** What a client can block of an office (R33): one key, one application, or one person. */
export type BlockSubject = 'userKeyId' | 'applicationId' | 'employeeId';

/** `${officeId}|${subject}|${id}` of each block the client holds. */
export type KnownBlocks = Set<string>;

export const blockKey = (officeId: string, subject: BlockSubject, id: string) => `${officeId}|${subject}|${id}`;

/**
 * The client's blocks as its access events tell them (`client.block_changed`, oldest first).
 * The API says only whether a key or person is blocked (`blockedByClient`), not by which block; the
 * events name the subject, so the block dialog can show which switch is on. Blocks older than the
 * feed's retention are not known here (the row still says "blocked").
 */
export async function readKnownBlocks(client: AppClient): Promise<KnownBlocks> {
  const known: KnownBlocks = new Set();
  for (const event of await readFeed(client, ['client.block_changed'], 10_000)) {
    const data = eventData(event);
    const officeId = typeof data.officeId === 'string' ? data.officeId : '';
    for (const subject of ['userKeyId', 'applicationId', 'employeeId'] as const) {
      const id = data[subject];
      if (typeof id !== 'string') continue;
      if (data.blocked === true) known.add(blockKey(officeId, subject, id));
      else known.delete(blockKey(officeId, subject, id));
    }
  }
  return known;
}
