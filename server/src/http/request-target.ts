/** The parts of a request target the edge routes on. */
export interface RequestTarget {
  pathname: string;
  /** The query string with its `?`, or empty (GraphQL over GET reads it). */
  search: string;
}

/** Longer targets are refused outright (Node's own header limit is 16 KiB; no route needs more). */
const MAX_TARGET_LENGTH = 8 * 1024;

/**
 * Reads a request target without ever throwing: the origin form (`/graphql?query=…`) and the
 * absolute form a proxy may send (`http://host/graphql`). Anything else — `//[`, `*`, `//x:99999/`,
 * a host that is not one — is null, and the edge answers 400. A target starting with `//` is not
 * read as a host: it would route `//elsewhere/graphql` to /graphql.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (!raw || raw.length > MAX_TARGET_LENGTH) return null;
  let url: URL;
  try {
    if (raw.startsWith('/') && !raw.startsWith('//')) url = new URL(raw, 'http://localhost');
    else if (/^https?:\/\/[^/]/i.test(raw)) url = new URL(raw);
    else return null;
  } catch {
    return null;
  }
  return { pathname: url.pathname, search: url.search };
}
