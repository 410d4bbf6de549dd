import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, QueryRunner } from 'typeorm';
import { instrument } from '../shared/instrumentation';
import { isDeadlock } from './errors';

interface StatementScope {
  statements: number;
  log?: string[];
}

const scope = new AsyncLocalStorage<StatementScope>();

/** Runs `fn` counting the SQL statements it issues (tests and benchmarks read the count). */
export function countStatements<T>(fn: () => T, keepLog = false): { result: T; scope: StatementScope } {
  const s: StatementScope = { statements: 0, log: keepLog ? [] : undefined };
  return { result: scope.run(s, fn), scope: s };
}

/** Counts a statement that did not go through TypeORM (prepared statements on MySQL/MariaDB). */
export function noteStatement(query: string): void {
  instrument('nokkel:db.statement', { failed: false });
  const s = scope.getStore();
  if (s) {
    s.statements++;
    s.log?.push(query);
  }
}

/** A TypeORM logger that counts statements per request and reports errors to the app log. */
export class StatementCountingLogger implements Logger {
  constructor(private readonly onError: (message: string) => void) {}

  logQuery(query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    instrument('nokkel:db.statement', { failed: false });
    const s = scope.getStore();
    if (s) {
      s.statements++;
      s.log?.push(query);
    }
  }

  logQueryError(error: string | Error, query: string): void {
    instrument('nokkel:db.statement', { failed: true });
    // a deadlock victim is rolled back and run again by Database.transaction: not an error of the
    // server (one that outlasts the retries reaches the caller as a server error, logged there)
    if (isDeadlock(error)) return;
    // parameters are deliberately not logged: they may hold secret hashes or personal data
    this.onError(`SQL failed: ${typeof error === 'string' ? error : error.message} — ${query.slice(0, 200)}`);
  }

  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
