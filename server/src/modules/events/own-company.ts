import type { AuthenticatedActing } from '../../auth/acting-context';
import { Forbidden } from '../../shared/errors';

/**
 * R36/R37: the event feed and the webhooks belong to a company's own administrators. Someone
 * acting at a client through an office's link speaks for the office, not for the client, so
 * neither the client's feed nor its webhooks are reachable that way (whatever the template holds).
 */
export function requireOwnCompany(acting: AuthenticatedActing): void {
  if (acting.atClient) {
    throw new Forbidden(
      'Access events and webhooks belong to the company’s own administrators; they cannot be read or managed through a client link.',
    );
  }
}
