import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send, WRITE_PART_BYTES } from '../../server/src/http/respond';

/** send(): the Content-Length is the body's UTF-8 length, for a small text, a large one and bytes. */
describe('send', () => {
  let server: Server;
  let url: string;
  const bodies: Record<string, string | Buffer> = {
    small: '{"name":"Nøkkel"}',
    large: JSON.stringify({ names: Array.from({ length: 4_000 }, (_, i) => `Bjørn Ærlig Åsen ${i} — 🔑`) }),
    bytes: Buffer.from('{"name":"Blåbær"}', 'utf8'),
    // several megabytes, like the explorer page: written a part at a time
    page: Buffer.from(Array.from({ length: 120_000 }, (_, i) => `<p>linje ${i} æøå</p>`).join('\n'), 'utf8'),
  };

  beforeAll(async () => {
    server = createServer((req, res) =>
      send(res, 200, { 'content-type': 'application/json' }, bodies[req.url!.slice(1)], 5_000),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test.each(Object.keys(bodies))('a %s body arrives whole, with its byte length', async (name) => {
    const expected = bodies[name];
    const res = await fetch(`${url}/${name}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.toString('utf8')).toBe(expected.toString());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('the large body is above the size from which text is encoded once', () => {
    expect((bodies.large as string).length).toBeGreaterThan(16 * 1024);
  });

  test('a body of megabytes goes out in parts, with turns of the event loop between them', async () => {
    const page = bodies.page as Buffer;
    expect(page.length).toBeGreaterThan(20 * WRITE_PART_BYTES);
    const parts: number[] = [];
    let turnsDuringWrite = 0;
    const local = createServer((_req, res) => {
      const write = res.write.bind(res) as (chunk: Buffer) => boolean;
      res.write = ((chunk: Buffer) => {
        parts.push(chunk.length);
        return write(chunk);
      }) as typeof res.write;
      // counts the event loop's turns while the body is being written
      const tick = () => {
        if (res.writableFinished) return;
        turnsDuringWrite++;
        setImmediate(tick);
      };
      setImmediate(tick);
      send(res, 200, { 'content-type': 'text/html' }, page, 5_000);
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(local.address() as AddressInfo).port}/`);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.equals(page)).toBe(true);
      expect(Math.max(...parts)).toBeLessThanOrEqual(WRITE_PART_BYTES);
      expect(parts.length).toBeGreaterThan(10);
      expect(turnsDuringWrite).toBeGreaterThan(10);
    } finally {
      await new Promise<void>((resolve) => local.close(() => resolve()));
    }
  });
});
