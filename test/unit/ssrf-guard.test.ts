import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { AddressGuard, addressRange } from '../../server/src/modules/webhooks/ssrf-guard';
import { WebhookSender } from '../../server/src/modules/webhooks/webhook-sender';

describe('R37: which addresses a webhook may reach', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a00:1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
    ['not-an-address', 'invalid'],
  ])('R37: %s is refused (%s)', (address, range) => {
    expect(addressRange(address)).toEqual({ allowed: false, range });
  });

  test.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'R37: %s (public) is allowed',
    (address) => {
      expect(addressRange(address).allowed).toBe(true);
    },
  );
});

const resolverOf =
  (answers: Record<string, string[][]>) =>
  async (hostname: string): Promise<LookupAddress[]> => {
    const queue = answers[hostname];
    const next = queue && (queue.length > 1 ? queue.shift()! : queue[0]);
    if (!next) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('R37: the SSRF guard', () => {
  test('R37: a host is refused if any of its addresses is not public; an unresolvable host says so', async () => {
    const guard = new AddressGuard(
      false,
      resolverOf({ 'mixed.test': [['93.184.216.34', '10.0.0.5']], 'ok.test': [['93.184.216.34', '2606:4700::1111']] }),
    );
    expect(await guard.problemWith(new URL('https://mixed.test/hook'))).toMatch(/private address/);
    expect(await guard.problemWith(new URL('https://ok.test/hook'))).toBeNull();
    expect(await guard.problemWith(new URL('https://nowhere.test/'))).toMatch(/could not be resolved \(ENOTFOUND\)/);
    expect(await guard.problemWith(new URL('https://[::ffff:127.0.0.1]/'))).toMatch(/loopback/);
    expect(await guard.problemWith(new URL('https://169.254.169.254/latest/meta-data'))).toMatch(/link-local/);
  });

  test('with WEBHOOK_ALLOW_PRIVATE_NETWORKS every address passes', async () => {
    const guard = new AddressGuard(true, resolverOf({ 'lan.test': [['10.0.0.5']] }));
    expect(await guard.problemWith(new URL('https://lan.test/'))).toBeNull();
    expect(await guard.problemWith(new URL('http://127.0.0.1:8080/'))).toBeNull();
  });

  test('R37: the lookup the socket uses refuses a private answer (DNS rebinding after the check at creation)', async () => {
    // the first answer (at creation) is public, the next (at connection) is the loopback interface
    const guard = new AddressGuard(false, resolverOf({ 'rebind.test': [['93.184.216.34'], ['127.0.0.1']] }));
    expect(await guard.problemWith(new URL('https://rebind.test/'))).toBeNull();
    const result = await new Promise<{ error: Error | null; address: unknown }>((resolve) =>
      guard.lookup('rebind.test', { all: true }, (error, address) => resolve({ error, address })),
    );
    expect(result.error?.message).toMatch(/rebind.test resolves to a loopback address/);
  });

  test('R37: a delivery to a host that rebinds to 127.0.0.1 never connects there', async () => {
    let connections = 0;
    const listener: Server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    try {
      const guard = new AddressGuard(false, resolverOf({ 'rebind.test': [['127.0.0.1']] }));
      const sender = new WebhookSender(guard, 2000);
      const stop = new AbortController();
      const res = await sender.send({ url: `https://rebind.test:${port}/hook`, headers: {}, body: '{}' }, stop.signal);
      expect(res.ok).toBe(false);
      expect(res.error).toMatch(/^refused: rebind.test resolves to a loopback address/);
      const literal = await sender.send(
        { url: `https://127.0.0.1:${port}/hook`, headers: {}, body: '{}' },
        stop.signal,
      );
      expect(literal.error).toMatch(/^refused: 127.0.0.1 resolves to a loopback address/);
      const plain = await sender.send({ url: `http://93.184.216.34/hook`, headers: {}, body: '{}' }, stop.signal);
      expect(plain.error).toBe('the URL must use https');
      sender.close();
      expect(connections).toBe(0);
    } finally {
      listener.close();
    }
  });
});
