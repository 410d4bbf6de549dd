import type { IncomingMessage } from 'node:http';
import { clientAddress, parseTrustProxy } from '../../server/src/http/client-address';

function request(peer: string, forwarded?: string): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  } as unknown as IncomingMessage;
}

describe('client address (TRUST_PROXY)', () => {
  it('R30: without TRUST_PROXY the socket peer is the client and X-Forwarded-For is ignored', () => {
    expect(clientAddress(request('127.0.0.1', '10.1.2.3'), parseTrustProxy(undefined))).toBe('127.0.0.1');
    expect(clientAddress(request('::ffff:127.0.0.1'), parseTrustProxy('off'))).toBe('127.0.0.1');
  });

  it('R30: a hop count takes the entry that many places from the right', () => {
    expect(clientAddress(request('10.0.0.2', '203.0.113.9'), parseTrustProxy('1'))).toBe('203.0.113.9');
    // a client that forges the header only adds entries to the left of what the proxies write
    expect(clientAddress(request('10.0.0.2', '1.1.1.1, 203.0.113.9'), parseTrustProxy('1'))).toBe('203.0.113.9');
    expect(clientAddress(request('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.1'), parseTrustProxy('2'))).toBe(
      '203.0.113.9',
    );
    expect(clientAddress(request('10.0.0.2', 'not-an-address'), parseTrustProxy('1'))).toBe('10.0.0.2');
    expect(clientAddress(request('10.0.0.2'), parseTrustProxy('1'))).toBe('10.0.0.2');
  });

  it('R30: a list of proxies is walked from the right only while the sender is a trusted proxy', () => {
    const trust = parseTrustProxy('10.0.0.0/8, ::1');
    expect(clientAddress(request('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.7'), trust)).toBe('203.0.113.9');
    expect(clientAddress(request('::1', '2001:db8::5'), trust)).toBe('2001:db8::5');
    // an untrusted peer's header is not believed
    expect(clientAddress(request('198.51.100.4', '10.9.9.9'), trust)).toBe('198.51.100.4');
  });

  it('bad TRUST_PROXY values stop the server at start-up with a message', () => {
    expect(() => parseTrustProxy('99')).toThrow(/hop count/);
    expect(() => parseTrustProxy('10.0.0.0/8, banana')).toThrow(/banana/);
    expect(parseTrustProxy('1')).toEqual({ kind: 'hops', hops: 1 });
  });
});
