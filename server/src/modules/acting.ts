import { createParameterDecorator } from 'type-graphql';
import type { AuthenticatedActing } from '../auth/acting-context';
import type { RequestContext } from './request-context';

/**
 * The authenticated caller of the request as a resolver parameter: `@Acting() acting:
 * AuthenticatedActing`. A request without a credential is refused here (UNAUTHENTICATED), before the
 * resolver runs, so the resolver reads "input, caller, clock → service".
 */
export function Acting(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<RequestContext>(({ context }): AuthenticatedActing => context.acting.authenticated());
}
