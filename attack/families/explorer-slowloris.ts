import type { Socket } from 'node:net';
import type { Family } from '../family';
import { directOrigin, separatePeers } from '../addresses';
import { sized } from '../options';
import { openSocket } from '../raw-socket';
import { sleep } from '../tally';

/**
 * Finding 5: the explorer page (several MB without gzip) asked for on many sockets that never
 * read it, from one client connecting directly (not through the trusted proxy). Each socket reads only the status line, then stops reading and stays open. Pass: no
 * crash, RSS bounded (the page is not copied per request, writes time out, connections per
 * address are capped); a refused or closed connection is a pass, not a failure.
 */
export const explorerSlowloris: Family = {
  name: 'explorer-slowloris',
  findings: '5',
  steps: (options) => [
    {
      name: `${sized(options, 300, 60)} explorer requests without gzip on sockets that never read`,
      budgetMs: sized(options, 12_000, 3_000),
      async run(ctx) {
        // directly, not through the trusted proxy: a proxy in front must cap its own clients
        // (docs/SECURITY.md); here the server's own per-address cap is what holds
        const origin = directOrigin(20);
        if (!separatePeers()) ctx.progress('one peer address here: through the trusted proxy, so nothing is capped');
        const sockets: Socket[] = [];
        const request = [
          'GET /graphql HTTP/1.1',
          'Host: 127.0.0.1',
          'Accept: text/html',
          `X-Forwarded-For: ${origin.forwardedFor}`,
          '',
          '',
        ].join('\r\n');
        const count = sized(options, 300, 60);
        const waiting = new Set<Socket>();
        let closedByServer = 0;
        let ending = false;
        for (let i = 0; i < count && !ctx.signal.aborted; i++) {
          const socket = openSocket(ctx.baseUrl, origin);
          sockets.push(socket);
          waiting.add(socket);
          ctx.tally.sent++;
          socket.on('connect', () => socket.write(request));
          socket.once('data', (chunk: Buffer) => {
            if (!waiting.delete(socket)) return;
            const status = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.toString('latin1'));
            ctx.tally.answered(status ? status[1] : 'not HTTP');
            // from here on the client reads nothing: the server's writes back up
            socket.pause();
          });
          socket.on('error', () => undefined);
          socket.on('close', () => {
            if (ending) return;
            closedByServer++;
            // closing a connection it will not serve is the server defending itself: an answer
            if (waiting.delete(socket)) ctx.tally.answered('closed');
          });
          if (i % 20 === 19) await sleep(100, ctx.signal);
        }
        const opened = Date.now();
        await sleep(sized(options, 8_000, 1_500), ctx.signal);
        // a socket still without its status line is unanswered only after the usual request timeout
        while (waiting.size > 0 && !ctx.signal.aborted && Date.now() - opened < options.requestTimeoutMs)
          await sleep(100, ctx.signal);
        ending = true;
        for (const _socket of waiting) ctx.tally.noAnswer(ctx.signal.aborted ? 'cancelled' : 'timeout');
        for (const socket of sockets) socket.destroy();
        if (closedByServer) ctx.progress(`${closedByServer} connection(s) closed by the server while held`);
      },
    },
  ],
};
