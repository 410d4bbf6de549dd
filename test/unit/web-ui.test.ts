import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../server/src/config';
import { loadWebUi, WEB_UI_CSP, type WebUiHandler } from '../../server/src/http/web-ui';

/** The web app's file table: exact paths only, correct types, nothing from outside the build. */
describe('web UI files (served at /)', () => {
  let build: string;
  let outside: string;
  let handler: WebUiHandler;
  const SECURITY = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' };

  beforeAll(() => {
    build = mkdtempSync(join(tmpdir(), 'nokkel-web-'));
    outside = mkdtempSync(join(tmpdir(), 'nokkel-outside-'));
    mkdirSync(join(build, 'assets'));
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>app</title>'.padEnd(2000, ' '));
    writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log("app");'.repeat(200));
    writeFileSync(join(build, 'assets', 'index-abc123.css'), 'body{margin:0}');
    writeFileSync(join(build, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(build, 'notes.map'), 'not a type the server labels');
    writeFileSync(join(outside, 'secret.txt'), 'outside the build');
    symlinkSync(join(outside, 'secret.txt'), join(build, 'assets', 'linked.txt'));
    const loaded = loadWebUi(build);
    if (!loaded) throw new Error('the build did not load');
    handler = loaded;
  });

  afterAll(() => {
    rmSync(build, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  interface Answer {
    served: boolean;
    status?: number;
    headers?: Record<string, string>;
    body?: Buffer;
  }

  function get(pathname: string, method = 'GET', headers: Record<string, string> = {}): Answer {
    const answer: Answer = { served: false };
    const req = { method, headers } as unknown as IncomingMessage;
    const res = {
      writeHead(status: number, h: Record<string, string>) {
        answer.status = status;
        answer.headers = h;
      },
      end(body?: Buffer | string) {
        answer.body = body === undefined ? undefined : Buffer.from(body);
      },
    } as unknown as ServerResponse;
    answer.served = handler(req, res, pathname, SECURITY);
    return answer;
  }

  test('/ and /index.html are the page, with the strict CSP and the security headers, revalidated', () => {
    for (const path of ['/', '/index.html']) {
      const page = get(path);
      expect(page.status).toBe(200);
      expect(page.headers).toMatchObject({
        ...SECURITY,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': WEB_UI_CSP,
        'cache-control': 'no-cache',
      });
      expect(page.body?.toString()).toContain('<title>app</title>');
    }
    expect(WEB_UI_CSP).toContain("script-src 'self';");
    expect(WEB_UI_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  test('assets carry their own content type and are cached for good (their names hold their hash)', () => {
    expect(get('/assets/index-abc123.js').headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect(get('/assets/index-abc123.css').headers?.['content-type']).toBe('text/css; charset=utf-8');
    expect(get('/favicon.svg').headers?.['content-type']).toBe('image/svg+xml');
  });

  test('gzip when the browser takes it; HEAD answers headers only; other methods get 405', () => {
    const zipped = get('/assets/index-abc123.js', 'GET', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers?.['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body ?? Buffer.alloc(0)).toString()).toBe('console.log("app");'.repeat(200));
    const head = get('/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    const post = get('/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers?.allow).toBe('GET, HEAD');
  });

  test('no path outside the table is served: traversal, encodings, unlabelled types, near misses', () => {
    for (const path of [
      '/../package.json',
      '/assets/../../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/%2e%2e/package.json',
      '/assets/%2e%2e/index.html',
      '//index.html',
      '/index.html/',
      '/INDEX.HTML',
      '/assets',
      '/assets/',
      '/notes.map',
      '/etc/passwd',
      `/${join(build, 'index.html')}`,
      '/index.html%00.js',
    ])
      expect([path, get(path).served]).toEqual([path, false]);
  });

  test('a symlink in the build is not followed, and a file added after start is not served', () => {
    expect(get('/assets/linked.txt').served).toBe(false);
    writeFileSync(join(build, 'assets', 'later.js'), 'added after start');
    expect(get('/assets/later.js').served).toBe(false);
  });

  test('no build: nothing to serve (the server runs without the app)', () => {
    expect(loadWebUi(join(build, 'missing'))).toBeNull();
    expect(loadWebUi(null)).toBeNull();
  });

  test('WEB_UI is on by default, off with WEB_UI=off, and refuses other values', () => {
    expect(loadConfig({}).webUi).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).webUi).toBe(true);
    expect(loadConfig({ WEB_UI: 'off' }).webUi).toBe(false);
    expect(() => loadConfig({ WEB_UI: 'sometimes' })).toThrow(/WEB_UI must be on or off/);
  });
});
