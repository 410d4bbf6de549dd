import { decodeCursor, encodeCursor, pageSize } from '../../server/src/db/pagination/cursor';
import { toPage } from '../../server/src/db/pagination/page';
import fc from 'fast-check';
import { encodeRandom, isIdOf, newId } from '../../server/src/shared/ids';
import { likePattern } from '../../server/src/shared/like';

describe('ids', () => {
  test('ids carry their kind and sort by creation, even within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newId('userKey'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    expect(isIdOf('userKey', ids[0])).toBe(true);
    expect(isIdOf('company', ids[0])).toBe(false);
    expect(isIdOf('company', "cmp_' OR 1=1 --")).toBe(false);
  });

  test('the random part is the 80-bit number in base32, most significant digit first', () => {
    const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const reference = (bytes: Uint8Array) => {
      const n = bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
      return Array.from({ length: 16 }, (_, i) => ALPHABET[Number((n >> BigInt(75 - 5 * i)) & 31n)]).join('');
    };
    expect(encodeRandom(new Uint8Array(10))).toBe('0'.repeat(16));
    expect(encodeRandom(new Uint8Array(10).fill(255))).toBe('Z'.repeat(16));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), (bytes) => encodeRandom(bytes) === reference(bytes)),
    );
  });
});

describe('cursors and page sizes', () => {
  test('a cursor round-trips and a foreign one is refused', () => {
    expect(decodeCursor(encodeCursor(['Bakeri', 'cmp_1']), 2)).toEqual(['Bakeri', 'cmp_1']);
    expect(decodeCursor(null, 1)).toBeNull();
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(/after/);
    expect(() => decodeCursor('%%%', 1)).toThrow(/after/);
  });

  test('first is 1–100, 20 by default', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow(/first/);
    expect(() => pageSize(101)).toThrow(/first/);
  });

  test('search text matches literally: LIKE wildcards are escaped', () => {
    expect(likePattern(' 50%_off! ')).toBe('%50!%!_off!!%');
  });

  test('a page encodes its cursors only when they are read, and gives the same ones then', () => {
    const encoded: string[] = [];
    const cursorOf = (row: { id: string }) => {
      encoded.push(row.id);
      return encodeCursor([row.id]);
    };
    const page = toPage([{ id: 'a' }, { id: 'b' }, { id: 'c' }], 2, cursorOf, () => 3);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(encoded).toEqual([]);
    expect(page.pageInfo.endCursor).toBe(encodeCursor(['b']));
    expect(page.edges.map((e) => decodeCursor(e.cursor, 1))).toEqual([['a'], ['b']]);
    expect(encoded).toEqual(['b', 'a', 'b']);
    expect(toPage([], 2, cursorOf, () => 0).pageInfo).toMatchObject({ hasNextPage: false, endCursor: null });
  });
});
