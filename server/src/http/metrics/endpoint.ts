import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { HttpError } from '../http-error';
import { header, send } from '../respond';

export interface MetricsEndpointOptions {
  /** The registry the metrics plugin fills. */
  registry: Registry;
  /** When set, a scrape must send `Authorization: Bearer <token>` (METRICS_TOKEN). Default: none, open. */
  token?: string | null;
  /** Write timeout of the answer (WRITE_TIMEOUT_MS). */
  writeTimeoutMs: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics`: the registry in Prometheus's text format. With a token, anything but the right
 * bearer token is 401 (compared in constant time, so the answer's timing does not give it away).
 */
export function metricsEndpoint({ registry, token, writeTimeoutMs }: MetricsEndpointOptions) {
  const expected = token ? digest(token) : null;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, 'Use GET for /metrics.', 'METHOD_NOT_ALLOWED');
    if (expected) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected))
        throw new HttpError(401, 'The metrics need the bearer token set in METRICS_TOKEN.', 'UNAUTHENTICATED', {
          'www-authenticate': 'Bearer realm="metrics"',
        });
    }
    const body = await registry.metrics();
    // on HEAD, Node sends the headers (content-length included) and leaves the body out
    send(res, 200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }, body, writeTimeoutMs);
  };
}
