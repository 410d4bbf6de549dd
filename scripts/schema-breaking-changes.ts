import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  type GraphQLField,
  type GraphQLSchema,
  isObjectType,
  print,
} from 'graphql';

/**
 * Breaking-change check of the GraphQL contract: compares schema/schema.graphql with its version
 * in the previous commit (or SCHEMA_BASE_REF / --base <ref>) and fails unless every breaking
 * change is acknowledged, with a reason, in schema/breaking-changes-acknowledged.json (a file
 * tracked by git). Dangerous changes and changed @requires are printed as warnings.
 *
 *   npm run schema:breaking                       # against HEAD~1
 *   node dist/scripts/schema-breaking-changes.js --base origin/main
 */
export const SCHEMA_PATH = 'schema/schema.graphql';
export const ACKNOWLEDGED_PATH = 'schema/breaking-changes-acknowledged.json';

export interface SchemaChange {
  type: string;
  description: string;
}

export interface Acknowledgement {
  /** The description of the change exactly as this check prints it. */
  change: string;
  /** Why breaking the contract is acceptable (who was told, what replaces it). */
  reason: string;
}

export interface CheckResult {
  ok: boolean;
  breaking: SchemaChange[];
  unacknowledged: SchemaChange[];
  warnings: SchemaChange[];
  /** Acknowledgements that match no change of this comparison (kept for history). */
  unused: Acknowledgement[];
}

function requiresOf(field: GraphQLField<unknown, unknown>): string | null {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'requires');
  return directive ? print(directive) : null;
}

/** Fields that gained or changed @requires: callers may start getting FORBIDDEN there. */
function requirementChanges(previous: GraphQLSchema, current: GraphQLSchema): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const type of Object.values(current.getTypeMap())) {
    const before = previous.getType(type.name);
    if (!isObjectType(type) || !isObjectType(before)) continue;
    const oldFields = before.getFields();
    for (const field of Object.values(type.getFields())) {
      const old = oldFields[field.name];
      if (!old) continue;
      const was = requiresOf(old);
      const now = requiresOf(field);
      if (now !== null && now !== was)
        changes.push({
          type: 'FIELD_REQUIREMENT_CHANGED',
          description: `${type.name}.${field.name} now ${now} (was ${was ?? 'open'}).`,
        });
    }
  }
  return changes;
}

/** Compares two versions of the SDL; pure, so tests can call it directly. */
export function compareSchemas(previousSdl: string, currentSdl: string, acknowledged: Acknowledgement[]): CheckResult {
  const previous = buildSchema(previousSdl);
  const current = buildSchema(currentSdl);
  const breaking = findBreakingChanges(previous, current).map(({ type, description }) => ({ type, description }));
  const warnings = [
    ...findDangerousChanges(previous, current).map(({ type, description }) => ({ type, description })),
    ...requirementChanges(previous, current),
  ];
  const acked = new Set(acknowledged.map((a) => a.change));
  const unacknowledged = breaking.filter((c) => !acked.has(c.description));
  const seen = new Set(breaking.map((c) => c.description));
  return {
    ok: unacknowledged.length === 0,
    breaking,
    unacknowledged,
    warnings,
    unused: acknowledged.filter((a) => !seen.has(a.change)),
  };
}

/** Reads and validates the acknowledgement file's content. */
export function parseAcknowledgements(text: string): Acknowledgement[] {
  const parsed = JSON.parse(text) as { acknowledged?: unknown };
  if (!Array.isArray(parsed.acknowledged)) throw new Error(`${ACKNOWLEDGED_PATH}: "acknowledged" must be a list`);
  return parsed.acknowledged.map((entry: unknown, i: number) => {
    const { change, reason } = (entry ?? {}) as Partial<Acknowledgement>;
    if (typeof change !== 'string' || change.trim() === '')
      throw new Error(`${ACKNOWLEDGED_PATH}: entry ${i} needs "change" (the change as the check prints it)`);
    if (typeof reason !== 'string' || reason.trim() === '')
      throw new Error(`${ACKNOWLEDGED_PATH}: entry ${i} ("${change}") needs a "reason"`);
    return { change, reason };
  });
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

export interface RunOptions {
  /** A directory inside the repository. */
  cwd: string;
  /** The revision to compare with (default HEAD~1). */
  base?: string;
  log?: (line: string) => void;
}

/** The whole check against a git working tree; returns the process exit code. */
export function runCheck({ cwd, base = 'HEAD~1', log = console.log }: RunOptions): number {
  const root = git(cwd, ['rev-parse', '--show-toplevel'])?.trim();
  if (!root) {
    log('Not a git repository: no previous schema to compare with; nothing to check.');
    return 0;
  }
  if (git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]) === null) {
    log(`There is no commit ${base}: no previous schema to compare with; nothing to check.`);
    return 0;
  }
  const previousSdl = git(root, ['show', `${base}:${SCHEMA_PATH}`]);
  if (previousSdl === null) {
    log(`${base} has no ${SCHEMA_PATH}: nothing to compare with; nothing to check.`);
    return 0;
  }
  const currentPath = join(root, SCHEMA_PATH);
  if (!existsSync(currentPath)) {
    log(`${SCHEMA_PATH} is missing: the whole contract was removed.`);
    return 1;
  }
  let acknowledged: Acknowledgement[] = [];
  const ackPath = join(root, ACKNOWLEDGED_PATH);
  if (existsSync(ackPath)) {
    try {
      acknowledged = parseAcknowledgements(readFileSync(ackPath, 'utf8'));
    } catch (error) {
      log(error instanceof Error ? error.message : String(error));
      return 1;
    }
    if (git(root, ['ls-files', '--error-unmatch', ACKNOWLEDGED_PATH]) === null) {
      log(`warning: ${ACKNOWLEDGED_PATH} is not tracked by git, so its acknowledgements do not count: commit it.`);
      acknowledged = [];
    }
  }

  const result = compareSchemas(previousSdl, readFileSync(currentPath, 'utf8'), acknowledged);
  for (const w of result.warnings) log(`warning (${w.type}): ${w.description}`);
  for (const c of result.breaking) {
    const ack = acknowledged.find((a) => a.change === c.description);
    log(`${ack ? 'acknowledged' : 'BREAKING'} (${c.type}): ${c.description}${ack ? ` — ${ack.reason}` : ''}`);
  }
  if (!result.ok) {
    log(
      `\n${result.unacknowledged.length} breaking change(s) of ${SCHEMA_PATH} since ${base} are not acknowledged.\n` +
        `Clients built against the old contract (the SDK, frontends, partners) may break. Either keep the\n` +
        `contract (deprecate instead of removing), or add each change to ${ACKNOWLEDGED_PATH}:\n` +
        JSON.stringify(
          {
            acknowledged: result.unacknowledged.map((c) => ({ change: c.description, reason: '<why this is fine>' })),
          },
          null,
          2,
        ),
    );
    return 1;
  }
  log(
    result.breaking.length
      ? `${SCHEMA_PATH}: ${result.breaking.length} breaking change(s) since ${base}, all acknowledged.`
      : `${SCHEMA_PATH}: no breaking changes since ${base}.`,
  );
  return 0;
}

if (require.main === module) {
  const i = process.argv.indexOf('--base');
  const base = i > 0 ? process.argv[i + 1] : process.env.SCHEMA_BASE_REF || undefined;
  process.exitCode = runCheck({ cwd: process.cwd(), base });
}
