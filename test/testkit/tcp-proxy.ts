import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy between the server and MariaDB that a test can cut: to take the database away
 * (refuse and drop every connection), to bring it back, or to drop a connection the moment a
 * given statement passes through it (the MySQL protocol sends statement text in clear).
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private down = false;
  private cutOn: { pattern: Buffer; onCut: () => void } | null = null;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      if (this.down) return client.destroy();
      const upstream = connect(this.targetPort, this.targetHost);
      this.sockets.add(client).add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (chunk: Buffer) => {
        if (this.cutOn && chunk.includes(this.cutOn.pattern)) {
          const { onCut } = this.cutOn;
          this.cutOn = null;
          close();
          onCut();
          return;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this.port;
  }

  /** The database is gone: open connections drop, new ones are refused. */
  takeDown(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  bringUp(): void {
    this.down = false;
  }

  /** Drops the connection that sends a statement containing `text`, before the database sees it. */
  cutWhenSent(text: string): Promise<void> {
    return new Promise((resolve) => (this.cutOn = { pattern: Buffer.from(text), onCut: resolve }));
  }

  async stop(): Promise<void> {
    this.takeDown();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
