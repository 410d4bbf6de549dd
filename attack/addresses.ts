import { connect } from 'node:net';

/**
 * Where a request comes from. The server trusts 127.0.0.0/24 as its proxies (TRUST_PROXY), so
 * `X-Forwarded-For` names the client as a proxy would; the connection also leaves from its own loopback address (127.0.0.x,
 * when the system allows binding one), so limits on connections per peer see separate peers too.
 */
export interface Origin {
  /** The client address the server is told (X-Forwarded-For). */
  forwardedFor: string;
  /** The loopback address the connection leaves from, if binding one works here. */
  localAddress?: string;
}

let bindable = false;

/** Checks once whether connections can leave from 127.0.0.x (Linux: yes; macOS: only 127.0.0.1). */
export async function probeLoopbackBinding(port: number): Promise<boolean> {
  bindable = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  return bindable;
}

function origin(forwardedFor: string, loopbackHost: number): Origin {
  return { forwardedFor, localAddress: bindable ? `127.0.0.${loopbackHost}` : undefined };
}

/**
 * The harness's own set-up calls (logins, ids, keys): not an attacker, not the victim. Set-up n
 * (0–49) has an address of its own, so one part of the set-up never spends another's address budget.
 */
export const setupOrigin = (n = 0): Origin => origin(`192.0.2.${1 + n}`, 1 + n);

/** The victim tenant's client. */
export const victimOrigin = (): Origin => origin('203.0.113.10', 250);

/** Attacker number n (1–99): a documentation address and its own loopback address. */
export const attackerOrigin = (n: number): Origin => origin(`198.51.100.${n}`, 100 + n);

/**
 * A client that reaches the server directly, not through the proxy the server trusts (the run sets
 * TRUST_PROXY to 127.0.0.0/24, where every other origin connects from): it leaves from 127.0.1.n,
 * so the server sees that address as the client and caps its connections. Where 127.0.x.y cannot be
 * bound (macOS) it is 127.0.0.1 like the rest, a trusted proxy, and nothing is capped.
 */
export const directOrigin = (n: number): Origin =>
  bindable ? { forwardedFor: `127.0.1.${n}`, localAddress: `127.0.1.${n}` } : origin('198.51.100.250', 1);

/** Whether connections leave from addresses of their own (see probeLoopbackBinding). */
export const separatePeers = (): boolean => bindable;
