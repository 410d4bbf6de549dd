import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

/** A share of a process's busy CPU time. */
export interface CategoryTime {
  category: string;
  ms: number;
  share: number;
}

/** The system calls that write to a socket (a frame of V8's with no script). */
const SOCKET_WRITES = new Set(['writeBuffer', 'writev', 'writeUtf8String', 'writeLatin1String']);
const GRAPHQL = /node_modules\/(graphql|graphql-jit|@apollo\/[^/]+|type-graphql|@graphql-tools\/[^/]+|lru\.min)\//;

/**
 * Where a frame's self time belongs, in the categories PERFORMANCE.md compares the servers by. A
 * function graphql-jit compiles has no script URL and a name with `__` (`CustomerConnection__…`).
 */
export function categoryOf(frame: { functionName: string; url: string }): string | null {
  const { functionName: name, url } = frame;
  if (name === '(idle)') return null;
  if (!url && SOCKET_WRITES.has(name)) return 'socket writes (system calls)';
  if (name === '(garbage collector)') return 'garbage collection';
  if (/node_modules\/(mysql2|sql-escaper)\//.test(url)) return 'mysql2';
  if (GRAPHQL.test(url) || (!url && name.includes('__'))) return 'GraphQL (Apollo, graphql-js/jit, type-graphql)';
  if (url.includes('/dist/server/src/')) return "Nøkkel's own code";
  if (url.includes('/dist/bench/')) return 'the bench (raw handler)';
  if (url.startsWith('node:')) return 'Node core (http, streams, crypto, async hooks)';
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return `package ${pkg[1]}`;
  return 'V8 and runtime (microtasks, parsing, program)';
}

/** Self time per category, largest first; idle time is left out, so shares are of busy time. */
export function summariseProfile(profile: CpuProfile): CategoryTime[] {
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byCategory = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    const category = categoryOf(node.callFrame);
    if (category === null || ms === 0) continue;
    busy += ms;
    byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
  }
  return [...byCategory]
    .map(([category, ms]) => ({ category, ms, share: busy ? ms / busy : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** `node dist/bench/profile-summary.js <file.cpuprofile>… [--per-request=<ms of CPU>]` */
function main(args: string[]): void {
  const perRequest = Number(args.find((a) => a.startsWith('--per-request='))?.split('=')[1] ?? NaN);
  const files = args.filter((a) => !a.startsWith('--'));
  if (!files.length) {
    console.error('usage: profile-summary <file.cpuprofile>… [--per-request=<CPU ms per request>]');
    process.exitCode = 2;
    return;
  }
  for (const file of files) {
    const rows = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    const busy = rows.reduce((sum, r) => sum + r.ms, 0);
    console.log(`${basename(file)}: ${(busy / 1000).toFixed(1)} s busy`);
    for (const r of rows.filter((row) => row.share >= 0.005)) {
      const each = Number.isFinite(perRequest) ? `  ${(perRequest * r.share).toFixed(3)} ms/req` : '';
      console.log(`  ${(100 * r.share).toFixed(1).padStart(5)} %${each}  ${r.category}`);
    }
  }
}

if (require.main === module) main(process.argv.slice(2));
