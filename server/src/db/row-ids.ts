import { randomBytes } from 'node:crypto';
import { newId, type IdKind } from '../shared/ids';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The statement-unique part of the ids an `INSERT … SELECT` gives its rows (see `rowIdSql` in
 * db/dialect), which cannot call `newId`: the id kind's prefix, the time, 50 random bits; the row's
 * number follows. The ids have the shape of every other id and sort by time.
 */
export function rowIdBase(kind: IdKind): string {
  // newId's random part is monotonic within a millisecond, so two statements in the same
  // millisecond could share its leading characters: fresh randomness instead
  const random = [...randomBytes(10)].map((b) => CROCKFORD[b % 32]).join('');
  return newId(kind).slice(0, 14) + random;
}
