import type { Config } from '../../server/src/config';
import { startTestApp, type TestApp } from './app';
import { buildWorld, type World } from './world';

/** The people of the demo world (testkit/world.ts) a test may act as, by their login. */
export const PEOPLE = {
  kari: 'kari@regnskap.example',
  ola: 'ola@regnskap.example',
  per: 'per@regnskap.example',
  bakeriAdmin: 'admin@bakeri.example',
  fjordAdmin: 'admin@fjordfisk.example',
  anne: 'anne@annet.example',
  fremmedAdmin: 'admin@fremmed.example',
} as const;
export type Person = keyof typeof PEOPLE;

const sessions = new WeakMap<TestApp, Map<string, Promise<string>>>();

/** A session token for `email` on this app: one login per person per server keeps clear of the login limits. */
export function sessionOf(app: TestApp, email: string): Promise<string> {
  let byEmail = sessions.get(app);
  if (!byEmail) sessions.set(app, (byEmail = new Map()));
  let token = byEmail.get(email);
  if (!token) {
    token = app.api.login(email);
    byEmail.set(email, token);
  }
  return token;
}

export interface WorldOptions<A extends TestApp, P extends Person> {
  /** Settings of the server over the test defaults (ignored when `start` is given). */
  config?: Partial<Config>;
  /** Starts the server another way (e.g. with a test clock); default `startTestApp(config)`. */
  start?: () => Promise<A>;
  /** Seeds the demo world (default true); false leaves the database empty. */
  seed?: boolean;
  /** People of the demo world logged in before the first test; their tokens are `token.<person>`. */
  sessions?: readonly P[];
  /** Time the set-up may take (ms); Jest's default otherwise. */
  timeout?: number;
}

/** What a file's tests use: the server, the seeded world and sessions. Read inside tests and hooks only. */
export interface WorldRun<A extends TestApp, P extends Person> {
  readonly app: A;
  readonly world: World;
  /** Session tokens by person; a test that outlives a session (a moved clock) assigns a fresh one. */
  readonly token: Record<P, string>;
}

/**
 * The set-up of a test file: a server on a database of its own, started before the file's tests
 * (and the demo world seeded, and people logged in) and closed after them — the close fails the
 * file if a secret reached a log line. Call once, at the top of the file; hooks the file adds
 * after it run once it is ready.
 */
export function useWorld<P extends Person = never, A extends TestApp = TestApp>(
  options: WorldOptions<A, P> = {},
): WorldRun<A, P> {
  let state: { app: A; world: World | undefined; token: Record<P, string> } | undefined;
  beforeAll(async () => {
    const app = options.start ? await options.start() : ((await startTestApp(options.config)) as A);
    state = { app, world: undefined, token: {} as Record<P, string> };
    if (options.seed !== false) state.world = await buildWorld(app.seed);
    for (const person of options.sessions ?? []) state.token[person] = await sessionOf(app, PEOPLE[person]);
  }, options.timeout);
  afterAll(async () => {
    await state?.app.close();
  });
  const ready = () => {
    if (!state) throw new Error('useWorld: read the app inside a test or hook, once the set-up has run');
    return state;
  };
  return {
    get app() {
      return ready().app;
    },
    get world() {
      const { world } = ready();
      if (!world) throw new Error('useWorld({ seed: false }): this file has no demo world');
      return world;
    },
    get token() {
      return ready().token;
    },
  };
}
