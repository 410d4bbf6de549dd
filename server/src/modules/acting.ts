import { createParameterDecorator } from 'type-graphql';
import type { AuthenticatedActing } from '../auth/acting-context';
import type { RequestContext } from './request-context';
import type { Services } from './services';

/**
 * The authenticated caller of the request as a resolver parameter: `@Acting() acting:
 * AuthenticatedActing`. A request without a credential is refused here (UNAUTHENTICATED), before the
 * resolver runs, so the resolver reads "input, caller, clock → service".
 */
export function Acting(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<RequestContext>(({ context }): AuthenticatedActing => context.acting.authenticated());
}

/** What a resolver hands its service: who acts, with which services, and the request's clock. */
export interface CallerScope {
  readonly acting: AuthenticatedActing;
  readonly services: Services;
  /** The request's clock (`RequestContext.now`): every time rule of the request reads this instant. */
  readonly now: Date;
}

/**
 * The authenticated caller together with the services and the clock, as one resolver parameter:
 * `@Caller() { acting, services, now }: CallerScope`. Most resolvers need exactly these three, so
 * they no longer take the caller and the context apart; a request without a credential is refused
 * as with `@Acting()`.
 */
export function Caller(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<RequestContext>(({ context }): CallerScope => ({
    acting: context.acting.authenticated(),
    services: context.services,
    now: context.now,
  }));
}
