import { randomUUID } from 'node:crypto';
import {
  STATUS_CODES,
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpSettings } from './settings';
import type { Logger } from '../shared/logger';
import type { AddressBudget } from './address-budget';
import { checkHost } from './allowed-hosts';
import { clientAddress } from './client-address';
import { capConnectionsPerAddress } from './connection-cap';
import { HttpError } from './http-error';
import { parseRequestTarget, type RequestTarget } from './request-target';
import { SECURITY_HEADERS, errorBody, jsonBody, loggableHeaders, redactCredentials, send } from './respond';
import type { Route } from './routes';

export interface Edge {
  httpServer: Server;
  /** Resolves once no request is being handled (shutdown waits for it before closing the database). */
  drained(): Promise<void>;
}

/** An incoming `x-request-id` is kept when it is a plain token; anything else gets a fresh id. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

function carriesCredential(req: IncomingMessage): boolean {
  return (req.headers.authorization ?? '').trim() !== '';
}

/** Answers a failed request: a caller's fault (4xx) is logged at warn, anything else at error with a reference id. */
function answerError(log: Logger, writeTimeout: number, res: ServerResponse, requestId: string, error: unknown): void {
  if (error instanceof HttpError) {
    log.warn({ requestId, status: error.status, code: error.code, reason: error.message }, 'request refused');
  } else {
    const e = error instanceof Error ? error : new Error(String(error));
    log.error(
      { requestId, err: { message: redactCredentials(e.message), stack: redactCredentials(e.stack ?? '') } },
      'request failed',
    );
  }
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const status = error instanceof HttpError ? error.status : 500;
  const message =
    error instanceof HttpError ? error.message : `Internal error. Quote reference ${requestId} when reporting it.`;
  const code = error instanceof HttpError ? error.code : 'INTERNAL_SERVER_ERROR';
  const { headers, body } = jsonBody(errorBody(message, { code, requestId }));
  send(res, status, { ...headers, ...(error instanceof HttpError ? error.headers : {}) }, body, writeTimeout);
}

function logAccess(
  log: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  target: RequestTarget | null,
  started: number,
) {
  // headers only at debug level, with credentials blanked
  const entry = {
    requestId,
    method: req.method,
    path: target ? target.pathname.slice(0, 200) : '(unreadable target)',
    status: res.statusCode,
    ms: Math.round(performance.now() - started),
  };
  if (log.isLevelEnabled('debug')) log.debug({ ...entry, headers: loggableHeaders(req) }, 'request');
  else log.info(entry, 'request');
}

/**
 * Bytes Node's HTTP parser refuses (a request line with spaces, bad headers, headers too large,
 * too slow) never become a request: they are answered here, as JSON with a request id like every
 * other answer, and the connection is closed.
 */
function answerUnparsable(log: Logger, error: NodeJS.ErrnoException, socket: Duplex): void {
  const requestId = randomUUID();
  if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  log.warn({ requestId, status, reason: error.code ?? error.message }, 'request refused');
  const body = JSON.stringify(
    errorBody(status === 408 ? 'The request took too long to arrive.' : 'The request is not valid HTTP.', {
      code: 'BAD_REQUEST',
      requestId,
    }),
  );
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
    connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // as Node's own handler does: write and close at once, so a client that never reads or never
  // closes its side holds nothing open
  socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
  socket.destroy();
}

/**
 * Waits before a refusal of a spent budget is answered (or until the client goes). A client that
 * keeps sending past its budget, each request after the answer to the last, then sends one a
 * second per connection instead of as many as the server can refuse: thousands of refusals a
 * second took CPU from every other tenant. The answer says the same as without the wait, and comes
 * well within its own `Retry-After` (at least a second).
 */
function holdRefusal(res: ServerResponse, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/**
 * The HTTP edge: every request is answered, whatever its target, body or headers. It assigns the
 * request id, reads the target without throwing, checks the Host, counts the request against its
 * address's budget before anything else is read or looked up, routes it, and turns every failure
 * into an answer — a caller's fault (4xx) is logged at warn without a stack, anything else at error
 * with a reference id for the caller. Nothing it starts is left as an unhandled rejection.
 */
export function createEdge(config: HttpSettings, log: Logger, addressBudget: AddressBudget, route: Route): Edge {
  const writeTimeout = config.edge.writeTimeoutMs;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const target = parseRequestTarget(req.url);
    res.on('finish', () => logAccess(log, req, res, requestId, target, started));
    let clientIp: string | null = null;
    try {
      if (!target) throw new HttpError(400, 'The request target is not a path on this server (e.g. /graphql).');
      // probes and scrapers call by address, not by the public host name
      if (!['/healthz', '/readyz', '/metrics'].includes(target.pathname)) checkHost(req, config.edge.allowedHosts);
      clientIp = clientAddress(req, config.trustProxy);
      await addressBudget.arrive(clientIp, carriesCredential(req));
      await route(req, res, target, { requestId, clientIp });
    } catch (error) {
      if (error instanceof HttpError && error.status === 429) await holdRefusal(res, config.edge.refusalHoldMs);
      answerError(log, writeTimeout, res, requestId, error);
    }
    // a malformed request (not JSON, a document that does not parse or validate, bad variables)
    // counts against its address's bad requests, after it is answered
    if (res.statusCode === 400 && clientIp !== null) await addressBudget.badRequest(clientIp);
  }

  let inFlight = 0;
  let onDrained: (() => void) | null = null;
  const httpServer = createHttpServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch((error: unknown) => {
        // answerError itself failed (a socket gone mid-write): nothing left to answer
        log.error({ err: { message: redactCredentials(String((error as Error)?.message ?? error)) } }, 'request lost');
        res.destroy();
      })
      .finally(() => {
        inFlight--;
        if (inFlight === 0) onDrained?.();
      });
  });
  httpServer.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerUnparsable(log, error, socket));
  // a client slow to send its headers or body, or idle between requests, loses its socket
  httpServer.keepAliveTimeout = 5_000;
  httpServer.headersTimeout = 10_000;
  httpServer.requestTimeout = 30_000;
  capConnectionsPerAddress(httpServer, config.edge.maxConnectionsPerAddress, config.trustProxy);

  return {
    httpServer,
    drained() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => (onDrained = resolve));
    },
  };
}
