import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (the DNS step, replaceable in tests). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/**
 * R37: whether a webhook may connect to an address. Only ordinary public unicast addresses pass;
 * ipaddr.js names every other range — private, loopback, link-local (cloud metadata at
 * 169.254.169.254), unique-local, multicast, unspecified, carrier-grade NAT, reserved, broadcast,
 * and the IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo). An
 * IPv4-mapped IPv6 address is judged as the IPv4 address it is.
 */
export function addressRange(address: string): { allowed: boolean; range: string } {
  if (!ipaddr.isValid(address)) return { allowed: false, range: 'invalid' };
  const range = ipaddr.process(address).range();
  return { allowed: range === 'unicast', range };
}

export class AddressRefused extends Error {
  constructor(
    readonly host: string,
    readonly range: string,
  ) {
    super(`${host} resolves to a ${describeRange(range)} address, which webhooks may not reach`);
    this.name = 'AddressRefused';
  }
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    private: 'private',
    loopback: 'loopback',
    linkLocal: 'link-local',
    uniqueLocal: 'unique-local',
    multicast: 'multicast',
    unspecified: 'unspecified',
  };
  return names[range] ?? `non-public (${range})`;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Where a webhook may connect. `allowPrivateNetworks` (WEBHOOK_ALLOW_PRIVATE_NETWORKS=on, for
 * development and tests) lifts the address rule and allows http.
 */
export class AddressGuard {
  constructor(
    readonly allowPrivateNetworks: boolean,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** Throws AddressRefused unless every address is allowed (one bad address is enough to refuse). */
  private check(host: string, addresses: readonly LookupAddress[]): void {
    if (this.allowPrivateNetworks) return;
    for (const { address } of addresses) {
      const { allowed, range } = addressRange(address);
      if (!allowed) throw new AddressRefused(host, range);
    }
  }

  /** The host of a URL as a name or a bare IP address (without IPv6 brackets). */
  static hostOf(url: URL): string {
    return url.hostname.replace(/^\[(.*)\]$/, '$1');
  }

  /**
   * Checks a URL's host now (when an endpoint is created or changed): every address it resolves
   * to must be allowed. Returns a problem in plain words, or null when the URL may be used.
   */
  async problemWith(url: URL): Promise<string | null> {
    const host = AddressGuard.hostOf(url);
    try {
      const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.resolve(host);
      if (!addresses.length) return `${host} does not resolve to any address`;
      this.check(host, addresses);
      return null;
    } catch (error) {
      if (error instanceof AddressRefused) return error.message;
      return `${host} could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`;
    }
  }

  /**
   * Checks an IP-literal host before connecting: Node connects to literals without calling
   * `lookup`, so they are judged here. Throws AddressRefused.
   */
  checkLiteral(url: URL): void {
    const host = AddressGuard.hostOf(url);
    if (isIP(host)) this.check(host, [{ address: host, family: isIP(host) }]);
  }

  /**
   * A `lookup` for http(s).request: resolves, refuses if any address is not allowed, and hands
   * the socket exactly the addresses it checked. The address connected to is the one judged, so
   * a DNS answer that changes between the check at creation and the connection (DNS rebinding)
   * cannot reach an internal address.
   */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    this.resolve(hostname).then(
      (all) => {
        try {
          const wanted =
            options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
          if (!wanted.length) {
            const error: NodeJS.ErrnoException = new Error(`${hostname} has no address of the family asked for`);
            error.code = 'ENOTFOUND';
            return callback(error, []);
          }
          this.check(hostname, wanted);
          if (options.all) callback(null, wanted);
          else callback(null, wanted[0].address, wanted[0].family);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, []);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
