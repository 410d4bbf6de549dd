import { BadUserInput } from '../../shared/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageArgs } from '../../shared/pagination';

export type CursorValue = string | number;

/** Validates `first` (1–100, default 20). */
export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInput([{ field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return first;
}

/**
 * The window a keyset page over one sort value asks for: the page size (validated) and the value
 * of the row it starts after (null: from the start).
 */
export function keysetWindow(page: PageArgs): { first: number; after: CursorValue | null } {
  return { first: pageSize(page.first), after: decodeCursor(page.after, 1)?.[0] ?? null };
}

/** A cursor is the row's sort values as base64url JSON: opaque to clients, checked on the way back. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The sort values of a cursor of a list sorted by `arity` values; BAD_USER_INPUT on `after` for any other text. */
export function decodeCursor(cursor: string | null | undefined, arity: number): CursorValue[] | null {
  if (cursor == null || cursor === '') return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInput([{ field: 'after', message: 'is not a cursor of this list' }]);
}
