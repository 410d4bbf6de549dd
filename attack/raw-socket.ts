import { connect, type Socket } from 'node:net';
import type { Origin } from './addresses';

/** Host and port of a base URL. */
export function hostPort(baseUrl: string): { host: string; port: number } {
  const url = new URL(baseUrl);
  return { host: url.hostname, port: Number(url.port) };
}

/** A TCP connection to the server from an origin's loopback address. */
export function openSocket(baseUrl: string, origin: Origin): Socket {
  const { host, port } = hostPort(baseUrl);
  return connect({ host, port, localAddress: origin.localAddress });
}

/**
 * Writes bytes the HTTP client of Node would refuse to send and reads the status line of the
 * answer. Resolves with the status code, or with why none came (never hangs).
 */
export function rawExchange(
  baseUrl: string,
  origin: Origin,
  bytes: string,
  timeoutMs: number,
): Promise<number | 'timeout' | 'reset' | 'refused'> {
  return new Promise((resolve) => {
    const socket = openSocket(baseUrl, origin);
    let received = '';
    let settled = false;
    const finish = (value: number | 'timeout' | 'reset' | 'refused'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (status) finish(Number(status[1]));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' ? 'refused' : 'reset'));
    socket.on('close', () => finish('reset'));
  });
}
