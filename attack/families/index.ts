import type { Family } from '../family';
import { abortedBodies } from './aborted-bodies';
import { bulkLink } from './bulk-link';
import { explorerSlowloris } from './explorer-slowloris';
import { floods } from './floods';
import { fragmentDoubling } from './fragment-doubling';
import { keyBudgets } from './key-budgets';
import { linkDeadlocks } from './link-deadlocks';
import { loginEmails } from './login-emails';
import { malformedTargets } from './malformed-targets';
import { nestedLists } from './nested-lists';
import { orgNumbers } from './org-numbers';
import { tenantFairness } from './tenant-fairness';
import { totalCount } from './total-count';

/**
 * The attack families in the order they run: the anonymous ones first, then those of an
 * office's people and keys (key budgets before the families that spend Kari's session), the
 * ones most likely to freeze the server last.
 */
export const FAMILIES: Family[] = [
  malformedTargets,
  floods,
  loginEmails,
  abortedBodies,
  explorerSlowloris,
  keyBudgets,
  orgNumbers,
  bulkLink,
  linkDeadlocks,
  totalCount,
  tenantFairness,
  nestedLists,
  fragmentDoubling,
];
