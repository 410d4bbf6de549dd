import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

const tooLarge = (limit: number, headers: Record<string, string> = {}) =>
  new HttpError(413, `The request body is larger than ${limit} bytes.`, 'PAYLOAD_TOO_LARGE', headers);

/** How long a connection whose body is left unread stays open after its answer (see leaveUnread). */
export const UNREAD_LINGER_MS = 1_000;

/**
 * A body refused by its declared length is left unread. Once the answer is out (this turn) the
 * socket stops reading: the client's upload waits in TCP instead of being pulled off the wire and
 * thrown away, a megabyte each for a client sending many. The connection is closed a moment
 * later, when the client has had time to read the answer: closed at once, with its body unread,
 * it could be reset before the client reads it.
 */
function leaveUnread(req: IncomingMessage): void {
  const socket = req.socket;
  // the answer says `connection: close`, on which Node destroys the socket as soon as the answer
  // is written: this one is only half-closed then (the client learns it will not be reused)
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
  };
  // after the answer's write and Node's own resumption of a finished request's socket
  setImmediate(() => {
    socket.pause();
    setTimeout(() => socket.destroy(), UNREAD_LINGER_MS).unref();
  });
}

/**
 * Reads a request body up to `limit` bytes. A body the client aborts or never finishes is the
 * client's fault (400, logged at warn), not the server's.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      leaveUnread(req);
      return reject(tooLarge(limit, { connection: 'close' }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(tooLarge(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => reject(new HttpError(400, 'The request body was not received completely.')));
    req.on('close', () => {
      if (!req.complete) reject(new HttpError(400, 'The request body was not received completely.'));
    });
  });
}

/** Parses a JSON body; a malformed one is a 400 BAD_REQUEST. */
export function parseJsonBody(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.');
  }
}
