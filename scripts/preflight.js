// Checks that Postgres and Redis answer, tells "not reachable" from "refused our credentials",
// names the host and port it tried, and creates the database when the server is there but the
// database is not.
const { Client } = require('pg');
const { Redis } = require('ioredis');

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** host:port as the driver will use it, defaults filled in. */
function endpoint(url, defaultPort) {
  return `${url.hostname || 'localhost'}:${url.port || defaultPort}`;
}

async function checkPostgres() {
  const url = new URL(databaseUrl);
  const where = endpoint(url, 5432);
  const user = decodeURIComponent(url.username) || process.env.USER || 'postgres';
  const name = decodeURIComponent(url.pathname.slice(1));
  const server = new URL(databaseUrl);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (e) {
    if (e.code === '28P01' || e.code === '28000') {
      console.error(`✗ PostgreSQL at ${where} answers but refuses role "${user}": ${e.message}.`);
      console.error("  Fix the user or password in DATABASE_URL, or the server's pg_hba.conf.");
    } else if (UNREACHABLE.has(e.code) || /timeout/i.test(e.message)) {
      console.error(`✗ PostgreSQL is not reachable at ${where} (${e.code ?? e.message}).`);
      console.error('  Start it, e.g. on Debian/Ubuntu:');
      console.error(
        '    sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      );
      console.error('  or with Docker: docker compose up -d postgres');
      console.error('  or point DATABASE_URL at your server.');
    } else {
      console.error(`✗ PostgreSQL at ${where}: ${e.message}`);
    }
    return false;
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`✓ PostgreSQL at ${where}: created database ${name}`);
    } else {
      console.log(`✓ PostgreSQL at ${where}: database ${name} exists`);
    }
    return true;
  } catch (e) {
    console.error(
      `✗ PostgreSQL at ${where}: role "${user}" cannot create database ${name}: ${e.message}`,
    );
    return false;
  } finally {
    await client.end();
  }
}

async function checkRedis() {
  const where = endpoint(new URL(redisUrl), 6379);
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  // The connection error arrives as an event; the rejected promise only says "closed".
  let cause;
  redis.on('error', (e) => (cause = e));
  try {
    await redis.connect();
    await redis.ping();
    console.log(`✓ Redis at ${where} answers`);
    return true;
  } catch (thrown) {
    const e = cause ?? thrown;
    if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(e.message)) {
      console.error(`✗ Redis at ${where} answers but refuses our credentials (${e.message}).`);
      console.error(
        '  Put the right user and password in REDIS_URL: redis://user:password@host:port',
      );
    } else {
      console.error(`✗ Redis is not reachable at ${where} (${e.code ?? e.message}).`);
      console.error('  Start it, e.g.: redis-server --daemonize yes --bind 127.0.0.1 --port 6379');
      console.error('  or with Docker: docker compose up -d redis');
    }
    return false;
  } finally {
    redis.disconnect();
  }
}

(async () => {
  const pg = await checkPostgres();
  const redis = await checkRedis();
  process.exit(pg && redis ? 0 : 1);
})();
