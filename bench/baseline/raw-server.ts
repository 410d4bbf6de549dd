import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Permission, PermissionSet } from '../../server/src/auth/permission';
import { KEY_PREFIX, SESSION_PREFIX, hashSecret, recogniseSecret } from '../../server/src/auth/secrets';
import type { DatabaseConfig } from '../../server/src/db/database';
import { decodeCursor } from '../../server/src/db/pagination/cursor';
import { dateMs, isoDate, openRawDb, type RawDb } from './raw-db';

/**
 * The baseline: a minimal node:http + mysql2 (or better-sqlite3) server answering the partner read
 * and the key overview with hand-written SQL and the same JSON as the GraphQL API. It does the
 * equivalent work — bearer token checked by shape and checksum, SHA-256 lookup of the key or
 * session, expiry/revocation/add-on checks, the client link, relation and template for the
 * partner read (R15, R17), the LOGIN and USER_ADMIN rules for the overview (R20) — and nothing
 * else: no GraphQL parsing, validation or execution, no ORM, no plugins.
 *
 *   POST /raw/customers  body {"variables": {"first"?, "after"?}}   (partner read, deep page)
 *   POST /raw/userKeys   body {"variables": {"n"}}                  (key overview)
 */

const BODY_LIMIT = 1024 * 1024;
const CUSTOMER_READ = PermissionSet.of([Permission.CUSTOMER_READ]);
const LOGIN = PermissionSet.of([Permission.LOGIN]);
const USER_ADMIN = PermissionSet.of([Permission.USER_ADMIN]);
const CLIENT_PAGE = 20;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Reply {
  body: unknown;
  statements: number;
}

interface RequestBody {
  variables?: { first?: number; after?: string | null; n?: number };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new Refusal(413, 'PAYLOAD_TOO_LARGE', 'body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) throw new Refusal(401, 'UNAUTHENTICATED', 'missing bearer token');
  return m[1];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function pageSize(value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Refusal(400, 'BAD_USER_INPUT', 'first must be 1–100');
  return n;
}

function statusOf(revokedAt: unknown, expiresAt: unknown, now: number): 'ACTIVE' | 'REVOKED' | 'EXPIRED' {
  if (revokedAt != null) return 'REVOKED';
  const expires = dateMs(expiresAt);
  if (expires !== null && expires <= now) return 'EXPIRED';
  return 'ACTIVE';
}

interface KeyAuthRow {
  [column: string]: unknown;
  id: string;
  kind: string;
  key_bits: number;
  revoked_at: unknown;
  expires_at: unknown;
  company_id: string;
  owner_bits: number;
  integrations_activated_at: unknown;
}

interface LinkAuthRow {
  [column: string]: unknown;
  template_bits: number;
  api_access: number | boolean;
}

interface CustomerRow {
  [column: string]: unknown;
  id: string;
  name: string;
  org_number: string | null;
  email: string | null;
}

function afterCursor(cursor: string | null | undefined): string | null {
  try {
    return (decodeCursor(cursor, 1)?.[0] as string | undefined) ?? null;
  } catch {
    throw new Refusal(400, 'BAD_USER_INPUT', 'bad cursor');
  }
}

/** Scenario 1 (and the deep page): an accountant key reads a page of customers at a linked client. */
async function partnerRead(db: RawDb, req: IncomingMessage, body: RequestBody): Promise<Reply> {
  const token = bearer(req);
  if (recogniseSecret(token) !== KEY_PREFIX) throw new Refusal(401, 'UNAUTHENTICATED', 'not a key secret');
  const now = Date.now();
  const [key] = await db.query<KeyAuthRow>(
    `SELECT k.id, k.kind, k.permission_bits AS key_bits, k.revoked_at, k.expires_at, k.company_id,
            o.permission_bits AS owner_bits, c.integrations_activated_at
       FROM user_key k JOIN employee o ON o.id = k.owner_id JOIN company c ON c.id = k.company_id
      WHERE k.secret_hash = ?`,
    [hashSecret(token)],
  );
  if (!key || statusOf(key.revoked_at, key.expires_at, now) !== 'ACTIVE')
    throw new Refusal(401, 'UNAUTHENTICATED', 'unknown, revoked or expired key');
  if (key.integrations_activated_at == null) throw new Refusal(403, 'INTEGRATIONS_NOT_ACTIVE', 'add-on not active');
  const clientId = header(req, 'x-company-id');
  if (key.kind !== 'ACCOUNTANT' || !clientId || clientId === key.company_id)
    throw new Refusal(403, 'FORBIDDEN', 'an accountant key acts only at linked clients');
  const [link] = await db.query<LinkAuthRow>(
    `SELECT t.permission_bits AS template_bits, r.api_access
       FROM client_link l
       JOIN access_template t ON t.id = l.template_id
       JOIN company cl ON cl.id = l.client_id
       JOIN client_relation r ON r.office_id = l.office_id AND r.client_id = l.client_id
      WHERE l.grantee_id = ? AND l.client_id = ? AND l.office_id = ?`,
    [key.id, clientId, key.company_id],
  );
  if (!link) throw new Refusal(403, 'FORBIDDEN', 'no access to this company');
  if (!Number(link.api_access)) throw new Refusal(403, 'CLIENT_API_ACCESS_DISABLED', 'API access is off');
  const effective = PermissionSet.fromBits(key.key_bits & key.owner_bits & link.template_bits);
  if (!CUSTOMER_READ.isSubsetOf(effective)) throw new Refusal(200, 'FORBIDDEN', 'CUSTOMER_READ required');

  const first = pageSize(body.variables?.first, 20);
  const after = afterCursor(body.variables?.after);
  const rows = await db.query<CustomerRow>(
    `SELECT id, name, org_number, email FROM customer
      WHERE company_id = ?${after === null ? '' : ' AND id > ?'} ORDER BY id LIMIT ?`,
    after === null ? [clientId, first + 1] : [clientId, after, first + 1],
  );
  const edges = rows
    .slice(0, first)
    .map((r) => ({ node: { id: r.id, name: r.name, orgNumber: r.org_number, email: r.email } }));
  return { body: { data: { customers: { edges } } }, statements: 3 };
}

interface SessionRow {
  [column: string]: unknown;
  expires_at: unknown;
  employee_id: string;
  company_id: string;
  permission_bits: number;
}

interface KeyRow {
  [column: string]: unknown;
  id: string;
  name: string;
  kind: string;
  custom_application_name: string | null;
  permission_bits: number;
  token_hint: string;
  created_at: unknown;
  revoked_at: unknown;
  expires_at: unknown;
  owner_id: string;
  owner_name: string;
  application_name: string | null;
}

interface LinkRow {
  [column: string]: unknown;
  grantee_id: string;
  client_id: string;
  client_name: string;
  template_id: string;
  template_name: string;
}

/** Scenario 2: the key overview of a person's own company, newest first, with each key's first 20 clients. */
async function keyOverview(db: RawDb, req: IncomingMessage, body: RequestBody): Promise<Reply> {
  const token = bearer(req);
  if (recogniseSecret(token) !== SESSION_PREFIX) throw new Refusal(401, 'UNAUTHENTICATED', 'not a session token');
  const now = Date.now();
  const [session] = await db.query<SessionRow>(
    `SELECT s.expires_at, e.id AS employee_id, e.company_id, e.permission_bits
       FROM session s JOIN employee e ON e.id = s.employee_id JOIN company c ON c.id = e.company_id
      WHERE s.token_hash = ?`,
    [hashSecret(token)],
  );
  if (!session || (dateMs(session.expires_at) ?? 0) <= now)
    throw new Refusal(401, 'UNAUTHENTICATED', 'session expired');
  const own = PermissionSet.fromBits(session.permission_bits);
  if (!LOGIN.isSubsetOf(own)) throw new Refusal(401, 'UNAUTHENTICATED', 'may not log in');
  const target = header(req, 'x-company-id');
  if (target && target !== session.company_id)
    throw new Refusal(400, 'BAD_USER_INPUT', 'the baseline acts at home only');

  const n = pageSize(body.variables?.n, 20);
  const admin = USER_ADMIN.isSubsetOf(own);
  const keys = await db.query<KeyRow>(
    `SELECT k.id, k.name, k.kind, k.custom_application_name, k.permission_bits, k.token_hint, k.created_at,
            k.revoked_at, k.expires_at, o.id AS owner_id, o.name AS owner_name, a.name AS application_name
       FROM user_key k JOIN employee o ON o.id = k.owner_id LEFT JOIN application a ON a.id = k.application_id
      WHERE k.company_id = ?${admin ? '' : ' AND k.owner_id = ?'}
      ORDER BY k.id DESC LIMIT ?`,
    admin ? [session.company_id, n + 1] : [session.company_id, session.employee_id, n + 1],
  );
  const page = keys.slice(0, n);
  const linksByKey = new Map<string, LinkRow[]>();
  let statements = 2;
  if (page.length) {
    statements++;
    const links = await db.query<LinkRow>(
      `SELECT w.grantee_id, w.client_id, c.name AS client_name, t.id AS template_id, t.name AS template_name
         FROM (SELECT l.grantee_id, l.client_id, l.template_id,
                      ROW_NUMBER() OVER (PARTITION BY l.grantee_id ORDER BY l.client_id) AS page_row
                 FROM client_link l WHERE l.grantee_id IN (${page.map(() => '?').join(', ')})) w
         JOIN company c ON c.id = w.client_id JOIN access_template t ON t.id = w.template_id
        WHERE w.page_row <= ? ORDER BY w.grantee_id, w.client_id`,
      [...page.map((k) => k.id), CLIENT_PAGE + 1],
    );
    for (const link of links) {
      const list = linksByKey.get(link.grantee_id);
      if (list) list.push(link);
      else linksByKey.set(link.grantee_id, [link]);
    }
  }
  const edges = page.map((k) => ({
    node: {
      id: k.id,
      name: k.name,
      applicationName: k.custom_application_name || (k.application_name ?? ''),
      kind: k.kind,
      status: statusOf(k.revoked_at, k.expires_at, now),
      tokenHint: k.token_hint,
      createdAt: isoDate(k.created_at),
      owner: { id: k.owner_id, name: k.owner_name },
      application: k.application_name === null ? null : { name: k.application_name },
      permissions: PermissionSet.fromBits(k.permission_bits).toArray(),
      clients: {
        edges: (linksByKey.get(k.id) ?? []).slice(0, CLIENT_PAGE).map((l) => ({
          node: {
            client: { id: l.client_id, name: l.client_name },
            template: { id: l.template_id, name: l.template_name },
          },
        })),
      },
    },
  }));
  return { body: { data: { userKeys: { edges } } }, statements };
}

const ROUTES: Record<string, (db: RawDb, req: IncomingMessage, body: RequestBody) => Promise<Reply>> = {
  '/raw/customers': partnerRead,
  '/raw/userKeys': keyOverview,
};

export interface RawServer {
  url: string;
  db: RawDb;
  close(): Promise<void>;
}

/** Starts the baseline on a free port of 127.0.0.1. */
export async function startRawServer(database: DatabaseConfig): Promise<RawServer> {
  const db = openRawDb(database);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const route = ROUTES[req.url ?? ''];
    try {
      if (!route || req.method !== 'POST') throw new Refusal(404, 'NOT_FOUND', 'no such route');
      const raw = await readBody(req);
      let body: RequestBody;
      try {
        body = JSON.parse(raw) as RequestBody;
      } catch {
        throw new Refusal(400, 'BAD_REQUEST', 'body is not JSON');
      }
      const reply = await route(db, req, body);
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'x-sql-statements': String(reply.statements),
      });
      res.end(JSON.stringify(reply.body));
    } catch (error) {
      const refusal = error instanceof Refusal ? error : new Refusal(500, 'INTERNAL_SERVER_ERROR', 'internal error');
      if (!(error instanceof Refusal)) console.error('raw server:', (error as Error).message);
      res.writeHead(refusal.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] }));
    }
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await db.close();
    },
  };
}
