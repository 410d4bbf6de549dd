import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

const tooLarge = (limit: number) =>
  new HttpError(413, `The request body is larger than ${limit} bytes.`, 'PAYLOAD_TOO_LARGE');

/**
 * Reads a request body up to `limit` bytes. A body the client aborts or never finishes is the
 * client's fault (400, logged at warn), not the server's.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(tooLarge(limit));
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
