import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import { AddressBudget, budgetKey } from '../../server/src/http/address-budget';
import { clientAddress, parseTrustProxy } from '../../server/src/http/client-address';
import { HttpError } from '../../server/src/http/http-error';
import { MAX_REMEMBERED, remembered } from '../../server/src/http/remembered';

function request(peer: string, forwarded: string): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwarded } } as unknown as IncomingMessage;
}

/**
 * Finding 6 (floods): the edge reads the client's address of every request, refused or not. Parsing
 * the trusted proxies' networks and the same few addresses again for each request was most of a
 * refused request's cost on the event loop; each is worked out once per recent address.
 */
describe('addresses are parsed once, not per request', () => {
  afterEach(() => jest.restoreAllMocks());

  it('R30: the TRUST_PROXY networks are parsed once for all requests, with the same answers', () => {
    const trust = parseTrustProxy('127.0.0.0/24, 10.0.0.0/8, ::1');
    const parseCidr = jest.spyOn(ipaddr, 'parseCIDR');
    const parse = jest.spyOn(ipaddr, 'parse');
    for (let i = 0; i < 500; i++) {
      expect(clientAddress(request('127.0.0.7', '198.51.100.30'), trust)).toBe('198.51.100.30');
      expect(clientAddress(request('::ffff:127.0.0.8', '1.1.1.1, 198.51.100.31, 10.0.0.9'), trust)).toBe(
        '198.51.100.31',
      );
      // an untrusted peer's header is still not believed
      expect(clientAddress(request('192.0.2.77', '198.51.100.32'), trust)).toBe('192.0.2.77');
    }
    expect(parseCidr.mock.calls.length).toBeLessThanOrEqual(3);
    // each distinct address text at most a few times, not 1,500 requests' worth
    expect(parse.mock.calls.length).toBeLessThanOrEqual(20);
  });

  it('an address budget key is worked out once per address, with the same answers', () => {
    const isValid = jest.spyOn(ipaddr, 'isValid');
    for (let i = 0; i < 500; i++) {
      expect(budgetKey('198.51.100.40')).toBe('198.51.100.40');
      expect(budgetKey('2001:db8:7:8:aaaa::1')).toBe('2001:db8:7:8::/64');
    }
    expect(isValid.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('what is remembered stays bounded, and long texts are never kept', () => {
    let computed = 0;
    const length = remembered((text: string) => {
      computed++;
      return text.length;
    });
    for (let i = 0; i < MAX_REMEMBERED * 3; i++) length(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    expect(computed).toBe(MAX_REMEMBERED * 3);
    length('10.0.0.0'); // forgotten when the map was emptied
    const long = 'x'.repeat(1000);
    length(long);
    length(long);
    expect(computed).toBe(MAX_REMEMBERED * 3 + 3);
  });
});

describe('a refusal at the edge walks no stack', () => {
  it('an HttpError (429 of a spent address budget, 400, 413) carries no stack frames, and other errors keep theirs', async () => {
    const budget = new AddressBudget(
      { requestsPerMinute: 1, authFailuresPer15Minutes: 1, badRequestsPerMinute: 1 },
      null,
      'unit-stack',
    );
    await budget.arrive('198.51.100.50', false);
    const refused = await budget.arrive('198.51.100.50', false).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED', name: 'HttpError' });
    expect((refused as Error).stack ?? '').not.toMatch(/\n\s+at /);
    expect(new HttpError(400, 'bad').stack ?? '').not.toMatch(/\n\s+at /);
    // the limit is put back: a server fault is still logged with its stack
    expect(new Error('fault').stack).toMatch(/\n\s+at /);
  });
});
