import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AddressGuard, AddressRefused } from './ssrf-guard';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookResponse {
  /** The endpoint answered 2xx. */
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The attempt was cut short because the server is stopping: not the endpoint's failure. */
  interrupted: boolean;
}

/** How much of an answer is read before the connection is dropped: receivers should answer briefly. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * R37: sends one delivery attempt. Redirects are not followed (a 3xx is a failure: following one
 * would connect to a URL nobody checked), every connection goes through the guard's `lookup`,
 * and the whole attempt — connecting, sending, reading the answer — has one deadline.
 */
export class WebhookSender {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly guard: AddressGuard,
    private readonly timeoutMs: number,
  ) {}

  send(request: WebhookRequest, stop: AbortSignal): Promise<WebhookResponse> {
    const started = performance.now();
    const done = (fields: Partial<WebhookResponse>): WebhookResponse => ({
      ok: false,
      statusCode: null,
      error: null,
      interrupted: false,
      ...fields,
      durationMs: Math.round(performance.now() - started),
    });
    let url: URL;
    try {
      url = new URL(request.url);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.guard.allowPrivateNetworks))
        return Promise.resolve(done({ error: 'the URL must use https' }));
      this.guard.checkLiteral(url);
    } catch (error) {
      return Promise.resolve(done({ error: refusal(error) }));
    }
    return new Promise((resolve) => {
      let settled = false;
      const finish = (fields: Partial<WebhookResponse>) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        stop.removeEventListener('abort', onStop);
        resolve(done(fields));
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: url.protocol === 'https:' ? this.https : this.http,
        lookup: this.guard.lookup,
      });
      const deadline = setTimeout(() => {
        finish({ error: `no answer within ${this.timeoutMs} ms` });
        req.destroy();
      }, this.timeoutMs);
      const onStop = () => {
        finish({ error: 'interrupted: the server is stopping', interrupted: true });
        req.destroy();
      };
      stop.addEventListener('abort', onStop);
      if (stop.aborted) return onStop();
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        const settle = () =>
          finish({
            ok: status >= 200 && status < 300,
            statusCode: status,
            error: status >= 200 && status < 300 ? null : `the endpoint answered HTTP ${status}`,
          });
        res.on('end', settle);
        res.on('close', settle);
        res.on('error', settle);
      });
      req.on('error', (error) => finish({ error: refusal(error) }));
      req.end(request.body);
    });
  }

  /** Closes idle connections (on shutdown). */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** A failure in plain words, without anything from the request (no headers, no secret). */
function refusal(error: unknown): string {
  if (error instanceof AddressRefused) return `refused: ${error.message}`;
  const e = error as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused',
    ECONNRESET: 'the connection was reset',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be resolved right now',
    ETIMEDOUT: 'connecting timed out',
    EHOSTUNREACH: 'the host cannot be reached',
    CERT_HAS_EXPIRED: 'the TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the TLS certificate is self-signed',
    ERR_TLS_CERT_ALTNAME_INVALID: 'the TLS certificate does not match the host',
  };
  const text = (e.code && words[e.code]) ?? e.message ?? 'the request failed';
  return (e.code ? `${text} (${e.code})` : text).slice(0, 500);
}
