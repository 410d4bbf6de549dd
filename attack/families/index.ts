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
 * office's people and keys. Budgets are per person and acting company and every key of Kari
 * (Regnskap AS) spends hers: the families that use little of it first, those that spend it
 * heavily last (key-budgets spends all of it on purpose), so each family meets a budget the
 * earlier ones have not used up. Ola's nested lists and fragment chains do not touch it.
 */
export const FAMILIES: Family[] = [
  malformedTargets,
  floods,
  loginEmails,
  abortedBodies,
  explorerSlowloris,
  orgNumbers,
  bulkLink,
  linkDeadlocks,
  nestedLists,
  fragmentDoubling,
  totalCount,
  tenantFairness,
  keyBudgets,
];
