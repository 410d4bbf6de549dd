import type { IncomingMessage, ServerResponse } from 'node:http';

export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Characters from which a text body is encoded to bytes once before it is measured and written. */
const ENCODE_ONCE_FROM = 16 * 1024;

/** A body larger than this goes out a part at a time (writeInParts). */
export const WRITE_PART_BYTES = 64 * 1024;

/**
 * Sends a whole response. The socket gets a write timeout first: a client that stops reading
 * (so the body sits in the socket's buffer) is cut off after `writeTimeoutMs` without progress,
 * instead of pinning the body in memory for as long as it likes.
 */
export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
  writeTimeoutMs: number,
): void {
  // no listener on the server's `timeout` event: Node destroys the socket when it fires
  res.socket?.setTimeout(writeTimeoutMs);
  // a large text is encoded once: measuring its UTF-8 length and then writing it would scan a
  // 200 KB page of keys twice; a small one goes out as text, in one write with the headers
  const payload = typeof body === 'string' && body.length > ENCODE_ONCE_FROM ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-length': String(typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length),
  });
  if (typeof payload === 'string' || payload.length <= WRITE_PART_BYTES) res.end(payload);
  else writeInParts(res, payload);
}

/**
 * Writes a large body WRITE_PART_BYTES at a time, the next part once the socket has taken the last
 * one and the event loop has had a turn: the kernel copies megabytes into a socket's buffer in one
 * write (the explorer page is several), which would hold the main thread from every other request
 * meanwhile; and a client that reads slowly, or never, holds at most one part in the process.
 */
function writeInParts(res: ServerResponse, body: Buffer): void {
  let at = 0;
  const next = (): void => {
    if (res.destroyed) return;
    const part = body.subarray(at, at + WRITE_PART_BYTES);
    at += part.length;
    if (at >= body.length) return void res.end(part);
    // 'drain' comes on the same turn when the kernel took the part at once: the turn is given either way
    const later = () => setImmediate(next);
    if (res.write(part)) later();
    else res.once('drain', later);
  };
  next();
}

export function jsonBody(value: unknown): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

/** The GraphQL-shaped error answer the edge gives before GraphQL runs. */
export function errorBody(message: string, extensions: Record<string, unknown>): unknown {
  return { errors: [{ message, extensions }] };
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Headers for the debug access log, with anything shaped like a credential blanked wherever a caller put it. */
export function loggableHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (text === undefined) continue;
    // any other bearer (the METRICS_TOKEN of a scrape) is blanked whole; ours keep their kind
    out[name] =
      name === 'authorization' || name === 'proxy-authorization' ? redactAuthorization(text) : redactCredentials(text);
  }
  return out;
}

/** An Authorization value for the log: its scheme, and `nkl_`/`nks_` for ours; every other credential blanked whole. */
export function redactAuthorization(value: string): string {
  const [, scheme = '', credential = ''] = /^(\S+\s+)?(.*)$/s.exec(value.trim()) ?? [];
  const ours = /^(nkl|nks)_/.exec(credential);
  return `${scheme}${ours ? `${ours[1]}_[redacted]` : '[redacted]'}`;
}

/** Blanks session tokens and key secrets in free text (headers, error messages, stack traces). */
export function redactCredentials(text: string): string {
  return text.replace(/\b(nkl|nks)_[0-9A-Za-z]+/g, '$1_[redacted]');
}
