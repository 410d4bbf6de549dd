import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A 429 as the server sends it (status, Retry-After header, RATE_LIMITED error with retryAfter). */
export function rateLimitedBody(retryAfterSeconds: number): string {
  return JSON.stringify({
    errors: [
      {
        message: `Too many requests. Retry after ${retryAfterSeconds} s.`,
        extensions: { code: 'RATE_LIMITED', retryAfter: retryAfterSeconds },
      },
    ],
  });
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface RateLimitingProxy {
  /** The proxy's GraphQL URL. */
  url: string;
  /** Requests that reached the proxy, refused or passed on. */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a live server that refuses the first `refusals` requests with
 * `429 Retry-After: <seconds>` and passes every later one on: a server that rate-limits for a
 * second, without waiting out a real one-minute window.
 */
export async function startRateLimitingProxy(
  target: string,
  { refusals = 1, retryAfterSeconds = 1 } = {},
): Promise<RateLimitingProxy> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    const refuse = requests <= refusals;
    bodyOf(request)
      .then(async (body) => {
        if (refuse) {
          response.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) });
          response.end(rateLimitedBody(retryAfterSeconds));
          return;
        }
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'accept', 'authorization', 'x-company-id']) {
          const value = request.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const upstream = await fetch(target, { method: request.method, headers, body: body.toString('utf8') });
        response.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        });
        response.end(Buffer.from(await upstream.arrayBuffer()));
      })
      .catch((error: unknown) => {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
