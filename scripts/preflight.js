// Checks that Postgres and Redis answer, says exactly what to do when they do not, and creates
// the database when the server is there but the database is not.
const { Client } = require('pg');
const { Redis } = require('ioredis');

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

async function checkPostgres() {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const server = new URL(databaseUrl);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (e) {
    console.error(`✗ PostgreSQL is not reachable at ${url.host} (${e.message}).`);
    console.error('  Start it, e.g. on Debian/Ubuntu:');
    console.error(
      '    sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
    console.error('  or with Docker: docker compose up -d postgres');
    console.error('  or point DATABASE_URL at your server.');
    return false;
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`✓ PostgreSQL at ${url.host}: created database ${name}`);
    } else {
      console.log(`✓ PostgreSQL at ${url.host}: database ${name} exists`);
    }
    return true;
  } finally {
    await client.end();
  }
}

async function checkRedis() {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
    console.log(`✓ Redis at ${new URL(redisUrl).host} answers`);
    return true;
  } catch (e) {
    console.error(`✗ Redis is not reachable at ${new URL(redisUrl).host} (${e.message}).`);
    console.error('  Start it, e.g.: redis-server --daemonize yes --bind 127.0.0.1 --port 6379');
    console.error('  or with Docker: docker compose up -d redis');
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
