import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, with what the independent `standardwebhooks` package made of it. */
export interface Received {
  path: string;
  id: string;
  timestamp: number;
  /** Every `v1,…` signature of the `webhook-signature` header. */
  signatures: string[];
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** The secrets (of those the receiver was told) whose `Webhook.verify` accepted the request. */
  verifiedWith: string[];
  answered: number | null;
}

/**
 * A webhook receiver on 127.0.0.1 for tests: records every delivery, verifies its signature with
 * the `standardwebhooks` package (the reference implementation, not ours), answers with the
 * statuses it is told to, can hold requests open, and notes when two requests for one path
 * were in flight at the same time.
 */
export class Receiver {
  readonly received: Received[] = [];
  /** Paths that ever had two requests in flight at once. */
  readonly overlaps: string[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly answers = new Map<string, number[]>();
  private readonly secrets = new Map<string, string[]>();
  private readonly held = new Map<string, Array<() => void>>();
  private readonly holding = new Set<string>();
  private readonly delays = new Map<string, number>();
  private waiters: Array<() => void> = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The secrets a path's deliveries are verified with. */
  trust(path: string, ...secrets: string[]): void {
    this.secrets.set(path, secrets);
  }

  /** Answers the next requests of a path with these statuses, in order (then 200). */
  answer(path: string, ...statuses: number[]): void {
    this.answers.set(path, statuses);
  }

  /** Waits this long before answering each request of a path. */
  delay(path: string, ms: number): void {
    this.delays.set(path, ms);
  }

  /** Holds a path's requests open until `release` (they count as in flight meanwhile). */
  hold(path: string): void {
    this.holding.add(path);
  }

  release(path: string): void {
    this.holding.delete(path);
    for (const go of this.held.get(path) ?? []) go();
    this.held.delete(path);
  }

  for(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Resolves once `predicate` holds (checked on every request), or fails after `ms`. */
  async until(predicate: () => boolean, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`receiver: condition not met within ${ms} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const now = (this.inFlight.get(path) ?? 0) + 1;
    this.inFlight.set(path, now);
    if (now > 1) this.overlaps.push(path);
    let done = false;
    const leave = () => {
      if (done) return;
      done = true;
      this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1);
    };
    // a sender that dies mid-request closes the socket: the request is no longer in flight
    res.on('close', leave);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };
    const verifiedWith = (this.secrets.get(path) ?? []).filter((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });
    const record: Received = {
      path,
      id: headers['webhook-id'],
      timestamp: Number(headers['webhook-timestamp']),
      signatures: headers['webhook-signature'].split(' ').filter(Boolean),
      body,
      payload: JSON.parse(body),
      verifiedWith,
      answered: null,
    };
    this.received.push(record);
    if (this.holding.has(path)) {
      await new Promise<void>((resolve) => this.held.set(path, [...(this.held.get(path) ?? []), resolve]));
    }
    const delay = this.delays.get(path);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const queue = this.answers.get(path) ?? [];
    const status = queue.shift() ?? 200;
    if (!res.destroyed) {
      record.answered = status;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'no');
    }
    leave();
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Whether a delivery carries a signature the `standardwebhooks` package makes with this secret. */
  static signedBy(delivery: Received, secret: string): boolean {
    const expected = new Webhook(secret).sign(delivery.id, new Date(delivery.timestamp * 1000), delivery.body);
    return delivery.signatures.includes(expected);
  }

  async close(): Promise<void> {
    for (const path of [...this.holding]) this.release(path);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A receiver listening for the whole test file: started before its tests, closed after them. */
export function useReceiver(): Receiver {
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  return receiver;
}
