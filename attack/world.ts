import { rmSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { Permission } from '../server/src/auth/permission';
import { Database, parseDatabaseUrl, type DatabaseConfig } from '../server/src/db/database';
import { ENTITIES } from '../server/src/modules/entities';
import { Company, CompanyKind } from '../server/src/modules/companies/company.entity';
import { BulkInsertManager } from '../server/src/seed/bulk-insert-manager';
import { DEMO_PASSWORD, seedDemoIfEmpty } from '../server/src/seed/demo';
import { SeedBuilder } from '../server/src/seed/seed-builder';
import { setupOrigin } from './addresses';
import { dataOf, graphql } from './http';
import { Tally } from './tally';

/** The second accounting office the run adds next to the demo data: the victim tenant. */
export const RIVAL = { email: 'admin@konkurrent.example', orgNumber: '920000001' };
/** Org numbers of the rival office's clients: what an org-number probe looks for. */
export const RIVAL_CLIENT_ORG_NUMBERS = ['920000101', '920000102', '920000103', '920000104', '920000105'];

/** What the database holds besides the demo data, with the ids the attacks need. */
export interface Prepared {
  /** Clients of the demo office Regnskap AS added for bulk linking (Company ids). */
  massClientIds: string[];
}

/** A session of a demo account. */
export interface Session {
  token: string;
  employeeId: string;
  companyId: string;
}

/** The demo data as the attacks use it: sessions and ids read through the API. */
export interface World extends Prepared {
  kari: Session;
  ola: Session;
  per: Session;
  /** The rival office's administrator: the victim tenant. */
  victim: Session;
  templates: { bokforing: string; kunLese: string };
  fikenApplicationId: string;
}

function databaseName(url: URL): string {
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`the database name must be [A-Za-z0-9_]+ (got "${name}")`);
  return name;
}

/** Empties the run's database: deletes the SQLite file, or drops and re-creates the MySQL/MariaDB schema. */
export async function recreateDatabase(config: DatabaseConfig, drop = false): Promise<void> {
  if (config.dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(config.path + suffix, { force: true });
    return;
  }
  const url = new URL(config.url);
  const name = databaseName(url);
  const server = new URL(url.toString());
  server.pathname = '/';
  const admin = await createConnection({ uri: server.toString() });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    if (!drop) await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
}

/**
 * Builds the run's data before the server starts, with the server's own code: the schema, the
 * demo data (SEED_DEMO), a second accounting office (the victim tenant) with a few clients, and
 * `massClients` more clients of Regnskap AS for bulk linking (SeedBuilder in bulk mode).
 */
export async function prepareDatabase(databaseUrl: string, massClients: number): Promise<Prepared> {
  const config = parseDatabaseUrl(databaseUrl);
  await recreateDatabase(config);
  const db = new Database(config, ENTITIES);
  await db.connect();
  try {
    await db.prepareSchema();
    await seedDemoIfEmpty(db);
    const office = await db.manager.findOneByOrFail(Company, { orgNumber: '910000001' });
    const bulk = new BulkInsertManager(db.dataSource, 2000);
    const seed = new SeedBuilder(bulk);
    const rival = await seed.company({
      name: 'Konkurrent Regnskap AS',
      orgNumber: RIVAL.orgNumber,
      kind: CompanyKind.ACCOUNTING_OFFICE,
      integrationsActive: true,
    });
    await seed.employee(rival, {
      name: 'Vera Vik',
      email: RIVAL.email,
      password: DEMO_PASSWORD,
      permissions: Object.values(Permission),
    });
    const rivalClients: Company[] = [];
    for (const [i, orgNumber] of RIVAL_CLIENT_ORG_NUMBERS.entries())
      rivalClients.push(await seed.company({ name: `Konkurrentkunde ${i + 1} AS`, orgNumber }));
    const mass: Company[] = [];
    for (let i = 0; i < massClients; i++)
      mass.push(
        await seed.company({ name: `Massekunde ${String(i).padStart(5, '0')} AS`, orgNumber: String(930_000_000 + i) }),
      );
    for (const client of rivalClients) await seed.clientRelation(rival, client);
    for (const client of mass) await seed.clientRelation(office, client);
    await bulk.flush();
    return { massClientIds: mass.map((c) => c.id) };
  } finally {
    await db.close();
  }
}

const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { token employee { id } } }`;
const VIEWER_COMPANY = '{ viewer { company { id } } }';

async function login(baseUrl: string, email: string, timeoutMs: number): Promise<Session> {
  const tally = new Tally();
  const origin = setupOrigin();
  const answer = await graphql(
    baseUrl,
    tally,
    { query: LOGIN, variables: { email, password: DEMO_PASSWORD }, origin },
    timeoutMs,
  );
  const { login: payload } = dataOf<{ login: { token: string; employee: { id: string } } }>(answer, `login ${email}`);
  const viewer = dataOf<{ viewer: { company: { id: string } } }>(
    await graphql(baseUrl, tally, { query: VIEWER_COMPANY, token: payload.token, origin }, timeoutMs),
    'viewer',
  );
  return { token: payload.token, employeeId: payload.employee.id, companyId: viewer.viewer.company.id };
}

/** Logs in the demo accounts and reads the ids the attacks use. Sessions outlive server restarts. */
export async function meetWorld(baseUrl: string, prepared: Prepared, timeoutMs: number): Promise<World> {
  const [kari, ola, per, victim] = [
    await login(baseUrl, 'kari@regnskap.example', timeoutMs),
    await login(baseUrl, 'ola@regnskap.example', timeoutMs),
    await login(baseUrl, 'per@regnskap.example', timeoutMs),
    await login(baseUrl, RIVAL.email, timeoutMs),
  ];
  const tally = new Tally();
  const origin = setupOrigin();
  const ids = dataOf<{
    accessTemplates: { id: string; name: string }[];
    applications: { edges: { node: { id: string; name: string } }[] };
  }>(
    await graphql(
      baseUrl,
      tally,
      {
        query: '{ accessTemplates { id name } applications(first: 20) { edges { node { id name } } } }',
        token: kari.token,
        origin,
      },
      timeoutMs,
    ),
    'templates and applications',
  );
  const template = (name: string): string => {
    const found = ids.accessTemplates.find((t) => t.name === name);
    if (!found) throw new Error(`the demo template "${name}" is missing`);
    return found.id;
  };
  const fiken = ids.applications.edges.find((e) => e.node.name === 'Fiken Sync');
  if (!fiken) throw new Error('the demo application "Fiken Sync" is missing');
  return {
    ...prepared,
    kari,
    ola,
    per,
    victim,
    templates: { bokforing: template('Bokføring'), kunLese: template('Kun lese') },
    fikenApplicationId: fiken.node.id,
  };
}
