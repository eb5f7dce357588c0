import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The test database and Redis; overridable, so CI can point the suite elsewhere. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/closed_loop_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

export function testEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    JWT_SECRET: 'test-secret-at-least-16-chars',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Uploaded photos of a test run go to a folder of their own, never the working tree.
    FILE_STORE_DIR: process.env.TEST_FILE_STORE_DIR ?? join(tmpdir(), 'closed-loop-test-files'),
  };
}
