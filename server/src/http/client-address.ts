import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import { remembered } from './remembered';

/**
 * Which proxies in front of Nøkkel may say who the client is (`TRUST_PROXY`):
 * - `hops`: that many proxies, always; the client is the entry that many places from the right of
 *   `X-Forwarded-For` (the last proxy's own peer address counts as the first hop);
 * - `networks`: proxies are recognised by address; walk `X-Forwarded-For` from the right while the
 *   sender is one of them.
 * Without the setting the socket's peer address is the client, and `X-Forwarded-For` is ignored:
 * anyone can write that header.
 */
export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'networks'; networks: string[] };

const MAX_HOPS = 10;

function cidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const value = text.includes('/') ? text : `${text}/${ipaddr.parse(text).kind() === 'ipv4' ? 32 : 128}`;
  return ipaddr.parseCIDR(value);
}

/** Reads `TRUST_PROXY`: empty/off, a hop count (1–10), or a comma-separated list of addresses and CIDRs. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || /^(0|off|false|no)$/i.test(text)) return { kind: 'none' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > MAX_HOPS) throw new Error(`TRUST_PROXY must be a hop count 1–${MAX_HOPS} (got "${text}")`);
    return { kind: 'hops', hops };
  }
  const networks = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const network of networks) {
    try {
      cidr(network);
    } catch {
      throw new Error(`TRUST_PROXY must list IP addresses or CIDRs (got "${network}")`);
    }
  }
  return { kind: 'networks', networks };
}

const canonical = remembered((trimmed: string): string | null =>
  ipaddr.isValid(trimmed) ? ipaddr.process(trimmed).toString() : null,
);

/** One address in canonical text (IPv4-mapped IPv6 as plain IPv4), or null when it is not an address. */
export function normaliseAddress(text: string | undefined): string | null {
  if (!text) return null;
  return canonical(text.trim());
}

/** Whether a canonical address lies in one of the networks, by list: the ranges parsed once per list, not per request. */
const memberships = new WeakMap<readonly string[], (address: string) => boolean>();

function inNetworks(address: string, networks: readonly string[]): boolean {
  let member = memberships.get(networks);
  if (!member) {
    const ranges = networks.map(cidr);
    member = remembered((text: string) => {
      const parsed = ipaddr.process(text);
      return ranges.some(([range, bits]) => {
        const candidate =
          parsed.kind() === range.kind()
            ? parsed
            : parsed.kind() === 'ipv4' && range.kind() === 'ipv6'
              ? (parsed as ipaddr.IPv4).toIPv4MappedAddress()
              : null;
        return candidate !== null && candidate.match([range, bits] as never);
      });
    });
    memberships.set(networks, member);
  }
  return member(address);
}

/** Whether a socket peer is one of the proxies `TRUST_PROXY` trusts (with a hop count: every peer is). */
export function isTrustedProxy(peerAddress: string | undefined, trust: TrustProxy): boolean {
  if (trust.kind === 'none') return false;
  if (trust.kind === 'hops') return true;
  const peer = normaliseAddress(peerAddress);
  return peer !== null && inNetworks(peer, trust.networks);
}

function forwardedChain(req: IncomingMessage): string[] {
  const raw = req.headers['x-forwarded-for'];
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  // bounded: a header of thousands of entries must not cost thousands of parses
  return text.split(',', 64).map((part) => part.trim());
}

/** The client's address: the socket peer, or an `X-Forwarded-For` entry vouched for by trusted proxies. */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  const peer = normaliseAddress(req.socket.remoteAddress) ?? 'unknown';
  if (trust.kind === 'none' || peer === 'unknown') return peer;
  const chain = forwardedChain(req);
  if (trust.kind === 'hops') {
    // hops proxies: the peer is the last one, each earlier proxy appended its own peer to the header
    const entry = chain.length >= trust.hops ? chain[chain.length - trust.hops] : chain[0];
    return normaliseAddress(entry) ?? peer;
  }
  let client = peer;
  for (let i = chain.length - 1; i >= 0 && inNetworks(client, trust.networks); i--) {
    const entry = normaliseAddress(chain[i]);
    if (!entry) break;
    client = entry;
  }
  return client;
}
