import { addressInCidrs, canonicalCidr, cidrWithin, usageNetwork } from '../../server/src/shared/networks';
import { assertNetworkAllowed, isUnusedPastPolicy, secretOpensKey } from '../../server/src/rules/lifecycle';

const DAY = 24 * 60 * 60 * 1000;

describe('R30: networks', () => {
  test('R30: CIDRs are stored canonically; anything else is not a CIDR', () => {
    expect(canonicalCidr('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(canonicalCidr('2001:DB8:0:0::1/32')).toBe('2001:db8::/32');
    expect(canonicalCidr('::ffff:192.0.2.1/120')).toBe('192.0.2.0/24');
    for (const bad of ['10.0.0.1', '10.0.0.0/33', '::/129', 'example.com/24', '10.0.0.0/8/8', '']) {
      expect({ bad, cidr: canonicalCidr(bad) }).toEqual({ bad, cidr: null });
    }
  });

  test('R30: an address matches a list of its own family only; IPv4-mapped IPv6 addresses count as IPv4', () => {
    expect(addressInCidrs('127.0.0.1', ['127.0.0.1/32'])).toBe(true);
    expect(addressInCidrs('127.0.0.1', ['10.0.0.0/8'])).toBe(false);
    expect(addressInCidrs('::ffff:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(addressInCidrs('2001:db8::5', ['2001:db8::/32', '10.0.0.0/8'])).toBe(true);
    expect(addressInCidrs('unknown', ['0.0.0.0/0'])).toBe(false);
    expect(() => assertNetworkAllowed({ allowedNetworks: ['10.0.0.0/8'] }, '127.0.0.1')).toThrow(/network/);
    expect(() => assertNetworkAllowed({ allowedNetworks: [] }, '127.0.0.1')).not.toThrow();
  });

  test('R30: usage is grouped per /24 and /64; a range lies within another only wholly', () => {
    expect(usageNetwork('192.0.2.77')).toBe('192.0.2.0/24');
    expect(usageNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(cidrWithin('127.0.0.1/32', '127.0.0.0/24')).toBe(true);
    expect(cidrWithin('127.0.0.0/16', '127.0.0.0/24')).toBe(false);
    expect(cidrWithin('::1/128', '127.0.0.0/8')).toBe(false);
  });
});

test('R28: the current secret always opens its key, a previous one only until its end', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  expect(secretOpensKey({ expiresAt: null }, now)).toBe(true);
  expect(secretOpensKey({ expiresAt: new Date(now.getTime() + 1) }, now)).toBe(true);
  expect(secretOpensKey({ expiresAt: now }, now)).toBe(false);
});

test('R29: a key is unused past the policy counting from its last use, or its creation if never used', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  expect(isUnusedPastPolicy({ createdAt: ago(31), lastUsedAt: null }, 30, now)).toBe(true);
  expect(isUnusedPastPolicy({ createdAt: ago(29), lastUsedAt: null }, 30, now)).toBe(false);
  expect(isUnusedPastPolicy({ createdAt: ago(300), lastUsedAt: ago(29) }, 30, now)).toBe(false);
  expect(isUnusedPastPolicy({ createdAt: ago(300), lastUsedAt: ago(30) }, 30, now)).toBe(true);
});
