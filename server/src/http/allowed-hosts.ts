import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

/**
 * `ALLOWED_HOSTS`: when set, a request whose Host header is not listed is refused with 421. A web
 * page can point a name it controls at 127.0.0.1 (DNS rebinding) and then talk to a developer's
 * local instance as a same-origin page; the Host header still carries its name, and this check
 * turns it away. An entry with a port matches that port only; one without matches any port.
 */
export function checkHost(req: IncomingMessage, allowed: string[] | null): void {
  if (!allowed) return;
  const host = (req.headers.host ?? '').trim().toLowerCase();
  const name = host.replace(/:\d+$/, '');
  if (host && (allowed.includes(host) || allowed.includes(name))) return;
  throw new HttpError(421, 'This server does not answer for that host name.', 'BAD_REQUEST');
}
