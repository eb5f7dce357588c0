import { FUTURE_IAT_LEEWAY_MS, readClaims } from '../../src/common/auth/access-tokens';
import { addressBucket, loginFailureKeys } from '../../src/common/auth/login-throttle';
import { MIN_PASSWORD_LENGTH, passwordWeakness } from '../../src/common/auth/password-policy';
import { Semaphore } from '../../src/common/auth/semaphore';
import { ConfigError, durationSeconds, loadConfig } from '../../src/config/app-config';

const USER = '3f1c2b9e-8a7d-4c6b-9e5f-1a2b3c4d5e6f';
const NOW = Date.UTC(2026, 10, 3, 8, 30, 15, 250);
const S = Math.floor(NOW / 1000);

describe('passwordWeakness', () => {
  it.each([
    ['short-pw9', /at least 10 characters/],
    ['', /at least 10 characters/],
    ['1234567890', /most common/],
    ['QWERTYUIOP', /most common/],
    ['Woaini1314', /most common/],
    ['a123456789', /most common/],
    ['wang.xiao-1', /username/],
    ['WANG.XIAO-1', /username/],
  ])('refuses %j, naming the rule', (password, rule) => {
    expect(passwordWeakness(password, 'wang.xiao-1')).toMatch(rule);
  });

  it.each([
    'correct horse battery',
    'closed-loop-test-passphrase',
    '咸祥镇南头社区的老街',
    'demo12345678',
  ])('accepts %j', (password) => {
    expect(passwordWeakness(password, 'wang.xiao-1')).toBeNull();
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(passwordWeakness('老'.repeat(MIN_PASSWORD_LENGTH - 1), 'someone')).toMatch(/at least/);
    expect(passwordWeakness('😀'.repeat(MIN_PASSWORD_LENGTH - 1), 'someone')).toMatch(/at least/);
    expect(passwordWeakness('老'.repeat(MIN_PASSWORD_LENGTH), 'someone')).toBeNull();
  });

  it('the seeded demo password would not pass (the seed is exempt)', () => {
    expect(passwordWeakness('demo1234', 'admin')).not.toBeNull();
  });
});

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order, and frees slots on failure', async () => {
    const slots = new Semaphore(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const task = (i: number, fail = false) =>
      slots.run(async () => {
        started.push(i);
        await new Promise<void>((resolve) => finish.push(resolve));
        if (fail) throw new Error(`task ${i}`);
        return i;
      });
    const runs = [task(0, true), task(1), task(2), task(3)];
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(slots.pending).toBe(2);

    finish[0]();
    await expect(runs[0]).rejects.toThrow('task 0');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    expect(slots.running).toBe(2);

    finish[1]();
    finish[2]();
    await Promise.all([runs[1], runs[2]]);
    await new Promise((resolve) => setImmediate(resolve));
    finish[3]();
    await expect(Promise.all(runs.slice(1))).resolves.toEqual([1, 2, 3]);
    expect(slots.running).toBe(0);
    expect(slots.pending).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow();
  });
});

describe('readClaims', () => {
  it('takes the millisecond issue time when the token carries one', () => {
    expect(readClaims({ sub: USER, iat: S, iat_ms: NOW, exp: S + 900 }, NOW)).toEqual({
      sub: USER,
      issuedFrom: NOW,
      issuedBy: NOW,
      expiresAt: (S + 900) * 1000,
    });
  });

  it('brackets a token without milliseconds by its whole second', () => {
    expect(readClaims({ sub: USER, iat: S, exp: S + 900 }, NOW)).toMatchObject({
      issuedFrom: S * 1000,
      issuedBy: (S + 1) * 1000,
    });
  });

  it('allows an iat up to a minute ahead, no more', () => {
    const ahead = Math.floor((NOW + FUTURE_IAT_LEEWAY_MS) / 1000);
    expect(typeof readClaims({ sub: USER, iat: ahead, exp: ahead + 900 }, NOW)).toBe('object');
    expect(readClaims({ sub: USER, iat: ahead + 1, exp: ahead + 900 }, NOW)).toMatch(/future/);
  });

  it.each<[string, Record<string, unknown> | null]>([
    ['no subject', { iat: S, exp: S + 900 }],
    ['a subject that is not a user id', { sub: 'admin', iat: S, exp: S + 900 }],
    ['no iat', { sub: USER, exp: S + 900 }],
    ['a fractional iat', { sub: USER, iat: S + 0.5, exp: S + 900 }],
    ['no expiry', { sub: USER, iat: S }],
    ['an iat_ms in another second', { sub: USER, iat: S, iat_ms: NOW + 1000, exp: S + 900 }],
    ['a string iat_ms', { sub: USER, iat: S, iat_ms: String(NOW), exp: S + 900 }],
    ['no claims at all', null],
  ])('refuses %s', (_what, claims) => {
    expect(typeof readClaims(claims, NOW)).toBe('string');
  });
});

describe('loginFailureKeys', () => {
  it('hashes usernames and addresses; the same account however it is typed', () => {
    const keys = loginFailureKeys('  Secretary-1 ', '::ffff:127.0.0.1');
    expect(keys.account).toMatch(/^closed-loop:login-failures:account:[0-9a-f]{64}$/);
    expect(keys.address).toMatch(/^closed-loop:login-failures:address:[0-9a-f]{64}$/);
    expect(loginFailureKeys('secretary-1', 'x').account).toBe(keys.account);
    expect(loginFailureKeys('*\r\nDEL x', 'x').account).toMatch(/:[0-9a-f]{64}$/);
  });
});

describe('addressBucket', () => {
  it.each([
    ['198.18.3.4', '198.18.3.4'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('counts %s under %s', (address, bucket) => {
    expect(addressBucket(address)).toBe(bucket);
  });

  it('one IPv6 /64 is one client for the per-address limit', () => {
    expect(loginFailureKeys('a', '2001:db8:1:2::1').address).toBe(
      loginFailureKeys('b', '2001:db8:1:2:ffff:ffff:ffff:ffff').address,
    );
    expect(loginFailureKeys('a', '2001:db8:1:2::1').address).not.toBe(
      loginFailureKeys('a', '2001:db8:1:3::1').address,
    );
  });
});

describe('authentication configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://localhost/x',
    REDIS_URL: 'redis://localhost',
    JWT_SECRET: 'x'.repeat(16),
  };

  it('defaults: 15-minute access tokens, 12-hour refresh tokens, 10/100 failures per 15 minutes, 4 hashes, a read-only board', () => {
    expect(loadConfig(base)).toMatchObject({
      jwtExpiresIn: '15m',
      refreshTokenTtlSeconds: 12 * 3600,
      loginMaxFailuresPerAccount: 10,
      loginMaxFailuresPerAddress: 100,
      loginWindowSeconds: 900,
      passwordHashConcurrency: 4,
      queueDashboardWrites: false,
    });
  });

  it('reads every variable and names each malformed one', () => {
    expect(
      loadConfig({
        ...base,
        REFRESH_TOKEN_TTL: '7d',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '5',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
        LOGIN_WINDOW_SECONDS: '60',
        PASSWORD_HASH_CONCURRENCY: '2',
        QUEUE_DASHBOARD_WRITES: 'true',
      }),
    ).toMatchObject({
      refreshTokenTtlSeconds: 7 * 86_400,
      loginMaxFailuresPerAccount: 5,
      loginMaxFailuresPerAddress: 50,
      loginWindowSeconds: 60,
      passwordHashConcurrency: 2,
      queueDashboardWrites: true,
    });
    const bad = () =>
      loadConfig({
        ...base,
        REFRESH_TOKEN_TTL: 'forever',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '0',
        PASSWORD_HASH_CONCURRENCY: 'many',
        QUEUE_DASHBOARD_WRITES: 'yes',
      });
    expect(bad).toThrow(ConfigError);
    for (const name of [
      'REFRESH_TOKEN_TTL',
      'LOGIN_MAX_FAILURES_PER_ACCOUNT',
      'PASSWORD_HASH_CONCURRENCY',
      'QUEUE_DASHBOARD_WRITES',
    ]) {
      expect(bad).toThrow(name);
    }
  });

  it('durationSeconds', () => {
    expect([durationSeconds('45s'), durationSeconds('15m'), durationSeconds('12h')]).toEqual([
      45, 900, 43_200,
    ]);
  });
});
