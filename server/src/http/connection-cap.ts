import type { Server } from 'node:http';
import { isTrustedProxy, type TrustProxy } from './client-address';

/**
 * Caps the connections one peer address may hold open at once: past the cap a new connection is
 * closed before a byte is read. Counted on the socket's own address (a connection is accepted
 * before any header could name the client), so behind a proxy every connection comes from the
 * proxy. The proxies `TRUST_PROXY` names are not capped (with a hop count, every peer is a proxy);
 * they are expected to cap their own clients (README: Configuration).
 */
export function capConnectionsPerAddress(server: Server, max: number, trust: TrustProxy): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    if (isTrustedProxy(socket.remoteAddress, trust)) return;
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
