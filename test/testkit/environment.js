/**
 * What the test suite needs beyond Node.js, found (or not) before any test runs: Chromium for the
 * explorer's browser tests, Redis for the shared rate limits, MariaDB for the second database.
 * Without them `npm test` runs the rest and says in one line what it skipped; with CI=true they
 * are mandatory and a missing one fails the run. Plain CommonJS: jest.config.js loads it.
 */
const { accessSync, constants } = require('node:fs');
const { connect } = require('node:net');
const { URL } = require('node:url');

const CHROMIUM = '/usr/bin/chromium';

/** Whether something answers TCP on host:port within `ms`. */
function answers(host, port, ms = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Probes the environment. Each entry: found, where it was looked for, and what its absence skips.
 * @param {NodeJS.ProcessEnv} env
 */
async function probeEnvironment(env) {
  const redis = new URL(env.REDIS_URL || 'redis://127.0.0.1:6379');
  const redisPort = Number(redis.port || 6379);
  const mariadbUrl = env.TEST_DATABASE_URL;
  const mariadb = mariadbUrl ? new URL(mariadbUrl) : null;
  return {
    chromium: {
      found: executable(CHROMIUM),
      where: `Chromium at ${CHROMIUM}`,
      skips: 'the browser tests of the explorer and the web app',
    },
    redis: {
      found: await answers(redis.hostname, redisPort),
      where: `Redis on ${redis.hostname}:${redisPort}`,
      skips: 'the rate-limit tests against Redis and the many-instances test',
    },
    mariadb: {
      found: mariadb ? await answers(mariadb.hostname, Number(mariadb.port || 3306)) : false,
      where: mariadb
        ? `MariaDB at ${mariadb.hostname}:${mariadb.port || 3306} (TEST_DATABASE_URL)`
        : 'MariaDB (TEST_DATABASE_URL is not set)',
      skips: 'every test on MariaDB (SQLite runs them all)',
    },
  };
}

/**
 * The one line that says what is missing and what that skips (or, when they are mandatory, that
 * the run cannot go on without them); null when nothing is missing.
 */
function describeMissing(environment, mandatory = false) {
  const missing = Object.values(environment).filter((need) => !need.found);
  if (!missing.length) return null;
  if (mandatory)
    return `CI=true requires Chromium, Redis and MariaDB. Not found: ${missing.map((n) => n.where).join('; ')}.`;
  return `Not found: ${missing.map((need) => `${need.where} — skipping ${need.skips}`).join('; ')}.`;
}

module.exports = { CHROMIUM, probeEnvironment, describeMissing };
