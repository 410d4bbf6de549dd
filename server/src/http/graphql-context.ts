import { authenticate } from '../context/authenticate';
import type { Database } from '../db/database';
import { Loaders } from '../modules/loaders';
import type { RequestContext } from '../modules/request-context';
import type { Services } from '../modules/services';
import { RequestUsage } from '../modules/usage/request-usage';
import { ErrorCode, NokkelError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { AddressBudget } from './address-budget';
import { maskPreExecutionError } from './error-masking';

export interface GraphqlContextDependencies {
  db: Database;
  services: Services;
  log: Logger;
  addressBudget: AddressBudget;
  /** The clock requests read (tests set it); the system clock otherwise. */
  clock?: () => Date;
}

/** What the context of one request is built from. */
export interface RequestCredentials {
  authorization: string | undefined;
  companyId: string | undefined;
  requestId: string;
  clientIp: string;
  /** credentialDigest of the Authorization and X-Company-Id headers; null without a credential. */
  credentialDigest: string | null;
}

/**
 * The GraphQL context of one request, built when Apollo asks for it: the caller (the credential
 * and X-Company-Id, through context/authenticate.ts), fresh loaders, the services, the request's
 * clock, and a usage note for a key. A credential that does not authenticate spends its address's
 * small failure budget, and the error leaves masked.
 */
export function graphqlContext(
  { db, services, log, addressBudget, clock }: GraphqlContextDependencies,
  { authorization, companyId, requestId, clientIp, credentialDigest }: RequestCredentials,
): () => Promise<RequestContext> {
  return async () => {
    const now = clock?.() ?? new Date();
    try {
      const acting = await authenticate(
        db,
        { authorization, companyId },
        {
          now,
          clientIp,
          onKeyUsed: (key, at, ip) => {
            services.keyUsage.touch(key, at);
            services.keyNetworks.note(key.id, ip, at);
          },
        },
      );
      return {
        acting,
        loaders: new Loaders(db),
        services,
        requestId,
        now,
        clientIp,
        usage: acting.userKey ? new RequestUsage() : null,
        credentialDigest,
      };
    } catch (error) {
      if (authorization && error instanceof NokkelError && error.code === ErrorCode.UNAUTHENTICATED)
        await addressBudget.authenticationFailed(clientIp);
      throw maskPreExecutionError(error, requestId, log);
    }
  };
}
