import type { Logger, QueryRunner } from 'typeorm';
import { instrument } from '../shared/instrumentation';
import { isDeadlock } from './errors';
import { currentWorkScope, inScopeWith, type StatementTally } from './work-scope';

/** Runs `fn` counting the SQL statements it issues (tests and benchmarks read the count). */
export function countStatements<T>(fn: () => T, keepLog = false): { result: T; scope: StatementTally } {
  const tally: StatementTally = { statements: 0, log: keepLog ? [] : undefined };
  return { result: inScopeWith({ tally }, fn), scope: tally };
}

/** Counts a statement: TypeORM's (through the logger) and the prepared ones on MySQL/MariaDB. */
export function noteStatement(query: string): void {
  instrument('nokkel:db.statement', { failed: false });
  const tally = currentWorkScope()?.tally;
  if (tally) {
    tally.statements++;
    tally.log?.push(query);
  }
}

/** A TypeORM logger that counts statements per request and reports errors to the app log. */
export class StatementCountingLogger implements Logger {
  constructor(private readonly onError: (message: string) => void) {}

  logQuery(query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    noteStatement(query);
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
