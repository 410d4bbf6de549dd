import type { ActingContext } from '../auth/acting-context';
import type { Services } from './services';
import type { Loaders } from './loaders';
import type { RequestUsage } from './usage/request-usage';

/** What every resolver receives: the caller (computed once), per-request loaders and the services. */
export interface RequestContext {
  readonly acting: ActingContext;
  readonly loaders: Loaders;
  readonly services: Services;
  readonly requestId: string;
  /** The request's clock: every time rule of the request reads this instant. */
  readonly now: Date;
  /** The client's address: the socket peer, or as trusted proxies report it (`TRUST_PROXY`). */
  readonly clientIp: string;
  /** R34: what a request made with a key exercised (null for other callers). */
  readonly usage: RequestUsage | null;
  /** A digest of the credential and X-Company-Id (never the credential): how a spent budget is remembered. */
  readonly credentialDigest?: string | null;
}
