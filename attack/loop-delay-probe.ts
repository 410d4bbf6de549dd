import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Loaded into the server child with `--require` (the server's own code is unchanged): measures how
 * long the server's event loop is held, so each family's report says whether the victim waited on
 * the server's main thread or on the machine. On SIGUSR2 it writes the delays since the last
 * signal on stderr, as one line `attack-loop-delay {…}` in milliseconds, and starts again.
 */
const RESOLUTION_MS = 5;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

/** A reading is the time between two turns of a 5 ms timer: the delay is what passes the 5 ms. */
const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

process.on('SIGUSR2', () => {
  const line = {
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
  };
  histogram.reset();
  process.stderr.write(`attack-loop-delay ${JSON.stringify(line)}\n`);
});
