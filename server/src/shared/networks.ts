import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/** A CIDR in canonical form (network address, lower-case IPv6), or null when the text is not one. */
export function canonicalCidr(text: string): string | null {
  const trimmed = text.trim();
  if (!/^[0-9A-Fa-f:.]+\/\d{1,3}$/.test(trimmed) || !ipaddr.isValidCIDR(trimmed)) return null;
  const [address, bits] = ipaddr.parseCIDR(trimmed);
  // an IPv4-mapped IPv6 range is written as the IPv4 range it means
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return canonicalCidr(`${(address as ipaddr.IPv6).toIPv4Address().toString()}/${bits - 96}`);
  }
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(trimmed)
      : ipaddr.IPv6.networkAddressFromCIDR(trimmed);
  return `${network.toString()}/${bits}`;
}

/** Parsed lists, by their stored text: the allowlist check runs on every request of a key. */
const parsedLists = new Map<string, Range[]>();
const MAX_CACHED_LISTS = 10_000;

function parseList(cidrs: readonly string[]): Range[] {
  const text = cidrs.join(',');
  let ranges = parsedLists.get(text);
  if (!ranges) {
    ranges = cidrs.map((cidr) => ipaddr.parseCIDR(cidr));
    if (parsedLists.size >= MAX_CACHED_LISTS) parsedLists.clear();
    parsedLists.set(text, ranges);
  }
  return ranges;
}

/** Parsed client addresses: partners call from few addresses, and every request of a key needs one. */
const parsedAddresses = new Map<string, Address | null>();
const MAX_CACHED_ADDRESSES = 10_000;

function parseAddress(address: string): Address | null {
  let parsed = parsedAddresses.get(address);
  if (parsed === undefined) {
    parsed = ipaddr.isValid(address) ? ipaddr.process(address) : null;
    if (parsedAddresses.size >= MAX_CACHED_ADDRESSES) parsedAddresses.clear();
    parsedAddresses.set(address, parsed);
  }
  return parsed;
}

/** Whether an address (as `clientAddress` gives it) lies in one of the CIDRs; a non-address lies in none. */
export function addressInCidrs(address: string, cidrs: readonly string[]): boolean {
  const parsed = parseAddress(address);
  if (parsed === null) return false;
  return parseList(cidrs).some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range as never, bits));
}

/** Whether the range `inner` lies wholly inside the range `outer` (both canonical CIDRs). */
export function cidrWithin(inner: string, outer: string): boolean {
  const [address, bits] = ipaddr.parseCIDR(inner);
  const [range, outerBits] = ipaddr.parseCIDR(outer);
  return address.kind() === range.kind() && bits >= outerBits && address.match(range as never, outerBits);
}

/** The /24 (IPv4) or /64 (IPv6) network an address belongs to, as a CIDR; null for a non-address. */
export function usageNetwork(address: string): string | null {
  const parsed = parseAddress(address);
  if (parsed === null) return null;
  const bits = parsed.kind() === 'ipv4' ? 24 : 64;
  return canonicalCidr(`${parsed.toString()}/${bits}`);
}
