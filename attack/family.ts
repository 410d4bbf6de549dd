import type { Origin } from './addresses';
import type { Answer, GraphQLCall } from './http';
import type { AttackOptions } from './options';
import type { Tally } from './tally';
import type { World } from './world';

/** What a step of an attack is given. */
export interface AttackContext {
  options: AttackOptions;
  world: World;
  /** The server's base URL (http://127.0.0.1:port); a new one after a restart. */
  baseUrl: string;
  /** The family's counts. */
  tally: Tally;
  /** Aborted when the server dies or the step's hard limit is reached: stop at once. */
  signal: AbortSignal;
  /** Date.now() after which the step starts no new request (its time budget). */
  deadline: number;
  /** A GraphQL POST counted in the tally (null: no answer). */
  graphql(call: GraphQLCall, timeoutMs?: number): Promise<Answer | null>;
  /** Something that looks wrong, for the report (not a crash or an unanswered request). */
  finding(text: string): void;
  /** Progress on stderr. */
  progress(text: string): void;
  /** Attacker n's origin (1–99). */
  attacker(n: number): Origin;
  /** Shared between the steps of one run (keys made by one family and used by another). */
  shared: Map<string, unknown>;
}

/** One part of an attack; the server is restarted after a step that killed it. */
export interface Step {
  name: string;
  /**
   * The step's time budget: no new request starts after it. The step is cut off (what is still
   * in flight counts as unanswered) if it has not finished a request timeout later.
   */
  budgetMs: number;
  /** The victim does not ask during this step (it only waits, so its answers would be quiet ones). */
  victimRests?: boolean;
  run(ctx: AttackContext): Promise<void>;
}

/** An attack family: the findings of issue 19 it reproduces, as steps. */
export interface Family {
  name: string;
  /** Which findings (issue 19 numbering) it reproduces, for the report. */
  findings: string;
  steps(options: AttackOptions): Step[];
}

/** The first GraphQL error code of an answer, or the status when there is none. */
export function codeOf(answer: Answer | null): string {
  if (!answer) return 'no answer';
  return answer.json?.errors?.[0]?.extensions?.code ?? String(answer.status);
}
