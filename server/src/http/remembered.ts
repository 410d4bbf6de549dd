/**
 * Parsing an address costs more than the rest of a refused request: the edge reads the peer and
 * the X-Forwarded-For entries of every request, and keys its budgets by address, and a flood comes
 * from few addresses. A function of an address's text keeps its recent answers (at most
 * MAX_REMEMBERED, forgotten all at once past that, and only for texts no longer than an address
 * can be), so a request from a known address parses nothing.
 */
export const MAX_REMEMBERED = 4096;
const MAX_ADDRESS_TEXT = 64;

export function remembered<T>(compute: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (text.length > MAX_ADDRESS_TEXT) return compute(text);
    if (known.has(text)) return known.get(text) as T;
    const value = compute(text);
    if (known.size >= MAX_REMEMBERED) known.clear();
    known.set(text, value);
    return value;
  };
}
