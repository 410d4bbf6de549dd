/** A LIKE pattern matching `search` literally; use with `ESCAPE '!'` (the same on both dialects). */
export function likePattern(search: string): string {
  return `%${search.trim().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
