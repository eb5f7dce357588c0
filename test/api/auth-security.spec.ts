import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Response } from 'supertest';
import { loginFailureKeys } from '../../src/common/auth/login-throttle';
import { REDIS } from '../../src/common/redis/redis.module';
import { DatabaseService } from '../../src/database/database.service';
import { testEnv } from '../support/env';
import {
  createUser,
  expectProblem,
  mapLimit,
  uniqueAddress,
  uniqueCode,
} from '../support/request-helpers';
import {
  DEMO_PASSWORD,
  startTestApp,
  stopTestApp,
  type TestApp,
  USER_PASSWORD,
} from '../support/test-app';

const SECRET = testEnv().JWT_SECRET as string;
// Smaller than the defaults (10 and 100, see test/unit/auth-rules.spec.ts): each failure hashes.
const MAX_PER_ACCOUNT = 5;
// Above what one address may fail in the flood test (at most MAX_PER_ACCOUNT + HASH_CONCURRENCY).
const MAX_PER_ADDRESS = 12;
const HASH_CONCURRENCY = 4;
const WINDOW_SECONDS = 600;

const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A JWT made by hand, to forge tokens with chosen algorithms and claims. */
function jwt(claims: Record<string, unknown>, alg = 'HS256', secret = SECRET): string {
  const head = base64url(JSON.stringify({ alg, typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  if (alg === 'none') return `${head}.${body}.`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] as string;
  const signature = createHmac(hash, secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${base64url(signature)}`;
}

/**
 * The attacks on sign-in and tokens. Failed sign-ins use usernames and client addresses
 * (X-Forwarded-For, trusted from loopback) of this suite only, and their Redis keys are deleted at
 * the end, so no other suite is locked out.
 */
describe('authentication hardening', () => {
  let t: TestApp;
  let redis: Redis;
  const usernames = new Set<string>();
  const addresses = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp({
      LOGIN_MAX_FAILURES_PER_ACCOUNT: String(MAX_PER_ACCOUNT),
      LOGIN_MAX_FAILURES_PER_ADDRESS: String(MAX_PER_ADDRESS),
      PASSWORD_HASH_CONCURRENCY: String(HASH_CONCURRENCY),
      LOGIN_WINDOW_SECONDS: String(WINDOW_SECONDS),
    });
    redis = t.app.get<Redis>(REDIS);
  });

  afterAll(async () => {
    if (redis) {
      const keys = [...usernames].flatMap((u) =>
        [...addresses, ''].map((a) => Object.values(loginFailureKeys(u, a))),
      );
      if (keys.length > 0) await redis.del(...new Set(keys.flat()));
    }
    await stopTestApp(t);
  });

  function login(username: string, password: string, address = uniqueAddress()) {
    usernames.add(username);
    addresses.add(address);
    return t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', address)
      .send({ username, password });
  }

  async function newUser(role = 'resident', unit = 'branch-1') {
    const user = await createUser(t, role, unit);
    usernames.add(user.username);
    return user;
  }

  const admin = () => t.as('admin');
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const requests = (token: string) => t.http.get('/api/v1/requests').set(bearer(token));
  const db = () => t.app.get(DatabaseService).manager();

  function expectTooMany(res: Response): number {
    expectProblem(res, 429, 'AUTH.TOO_MANY_ATTEMPTS');
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(res.body.retryAfter).toBe(retryAfter);
    return retryAfter;
  }

  describe('login throttling', () => {
    it('after the limit of failures for one account it answers 429 with Retry-After, even for the right password, from any address', async () => {
      const user = await newUser();
      for (let i = 0; i < MAX_PER_ACCOUNT; i++) {
        expectProblem(
          await login(user.username, 'wrong-password'),
          401,
          'AUTH.INVALID_CREDENTIALS',
        );
      }
      expectTooMany(await login(user.username, USER_PASSWORD));
      expect((await login(user.username.toUpperCase(), USER_PASSWORD)).status).toBe(429);
      const other = await newUser();
      expect((await login(other.username, USER_PASSWORD)).status).toBe(200);
    });

    it('a success does not lift a lock; a success before the lock forgets the failures', async () => {
      const user = await newUser();
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < MAX_PER_ACCOUNT - 1; i++) {
          expect((await login(user.username, 'wrong-password')).status).toBe(401);
        }
        expect((await login(user.username, USER_PASSWORD)).status).toBe(200);
      }
      for (let i = 0; i < MAX_PER_ACCOUNT; i++) {
        expect((await login(user.username, 'wrong-password')).status).toBe(401);
      }
      expectTooMany(await login(user.username, USER_PASSWORD));
      expectTooMany(await login(user.username, USER_PASSWORD));
      expect(await redis.get(loginFailureKeys(user.username, '').account)).toBe(
        String(MAX_PER_ACCOUNT),
      );
    });

    it('the lock is lifted when its window passes', async () => {
      const user = await newUser();
      for (let i = 0; i < MAX_PER_ACCOUNT; i++) {
        expect((await login(user.username, 'wrong-password')).status).toBe(401);
      }
      expectTooMany(await login(user.username, USER_PASSWORD));
      // The window is the key's lifetime in Redis: let it end now instead of in ten minutes.
      const key = loginFailureKeys(user.username, '').account;
      expect(await redis.ttl(key)).toBeGreaterThan(0);
      await redis.pexpire(key, 1);
      for (let i = 0; i < 100 && (await redis.exists(key)) === 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await login(user.username, USER_PASSWORD)).status).toBe(200);
    });

    it('unknown usernames are throttled the same way, so a lock tells nothing about existence', async () => {
      const nobody = uniqueCode('nobody');
      for (let i = 0; i < MAX_PER_ACCOUNT; i++) {
        expect((await login(nobody, 'wrong-password')).status).toBe(401);
      }
      expectTooMany(await login(nobody, 'wrong-password'));
    });

    it('keys are hashed: a username full of Redis syntax stays out of the keyspace', async () => {
      const hostile = `x*\r\nFLUSHALL\r\n:{a}[b]?${uniqueCode('k')}`;
      expectProblem(await login(hostile, 'wrong-password'), 401, 'AUTH.INVALID_CREDENTIALS');
      const { account, address } = loginFailureKeys(hostile, '127.0.0.1');
      expect(account).toMatch(/^closed-loop:login-failures:account:[0-9a-f]{64}$/);
      expect(address).toMatch(/^closed-loop:login-failures:address:[0-9a-f]{64}$/);
      expect(await redis.get(account)).toBe('1');
      expect(await redis.exists(`closed-loop:login-failures:account:${hostile}`)).toBe(0);
    });

    it('the per-address limit counts only failures: many sign-ins from one address are fine, many failures lock it', async () => {
      const user = await newUser();
      const office = uniqueAddress();
      const ok = await mapLimit(Array.from({ length: MAX_PER_ADDRESS + 2 }), 4, () =>
        login(user.username, USER_PASSWORD, office).then((r) => r.status),
      );
      expect(ok.every((s) => s === 200)).toBe(true);

      for (let i = 0; i < MAX_PER_ADDRESS; i++) {
        expect((await login(uniqueCode('guess'), 'wrong-password', office)).status).toBe(401);
      }
      const locked = await login(user.username, USER_PASSWORD, office);
      expectTooMany(locked);
      expect(locked.body.detail).toMatch(/address/);
      expect((await login(user.username, USER_PASSWORD, uniqueAddress())).status).toBe(200);
    });

    it('200 parallel bad sign-ins are refused with 429 once the limit is reached, without hashing each; another user still signs in', async () => {
      const victim = await newUser();
      const other = await newUser();
      const attacker = uniqueAddress();
      const [flood, real] = await Promise.all([
        Promise.all(
          Array.from({ length: 200 }, () =>
            login(victim.username, 'wrong-password', attacker).then((r) => r.status),
          ),
        ),
        login(other.username, USER_PASSWORD),
      ]);
      expect(real.status).toBe(200);
      const count = (status: number) => flood.filter((s) => s === status).length;
      expect(count(401) + count(429)).toBe(200);
      // Refused again once a hashing slot is free: at most the slots' holders slip past the limit.
      expect(count(401)).toBeGreaterThanOrEqual(MAX_PER_ACCOUNT);
      expect(count(401)).toBeLessThan(MAX_PER_ACCOUNT + HASH_CONCURRENCY);
      expect(count(429)).toBeGreaterThan(200 - MAX_PER_ACCOUNT - HASH_CONCURRENCY);
      expectTooMany(await login(victim.username, USER_PASSWORD));
      expect((await login(other.username, USER_PASSWORD, attacker)).status).toBe(200);
    });
  });

  describe('password policy', () => {
    it.each<[string, (username: string) => string, RegExp]>([
      ['shorter than 10 characters', () => 'short-pw9', /at least 10 characters/],
      ['one of the most common passwords', () => 'qwertyuiop', /most common/],
      ['a common password in other case', () => 'QwertyUIOP', /most common/],
      ['a common Chinese password', () => 'woaini1314', /most common/],
      ['the username', (username) => username, /username/],
      ['the username in capitals', (username) => username.toUpperCase(), /username/],
    ])(
      'refuses a password that is %s with 400 USER.WEAK_PASSWORD',
      async (_what, password, rule) => {
        const username = uniqueCode('weakling');
        const created = await t.http
          .post('/api/v1/users')
          .set(await admin())
          .send({
            username,
            displayName: username,
            password: password(username),
            role: 'resident',
            unitId: await unitOf('branch-1'),
          });
        expectProblem(created, 400, 'USER.WEAK_PASSWORD');
        expect(created.body.detail).toMatch(rule);

        const user = await newUser();
        const patched = await t.http
          .patch(`/api/v1/users/${user.id}`)
          .set(await admin())
          .send({ password: password(user.username) });
        expectProblem(patched, 400, 'USER.WEAK_PASSWORD');
        expect(patched.body.detail).toMatch(rule);

        const own = await t.http
          .post('/api/v1/auth/password')
          .set(await t.as(user.username))
          .send({ currentPassword: USER_PASSWORD, newPassword: password(user.username) });
        expectProblem(own, 400, 'USER.WEAK_PASSWORD');
        expect(own.body.detail).toMatch(rule);
        // Nothing changed: the old password still works.
        expect((await login(user.username, USER_PASSWORD)).status).toBe(200);
      },
    );

    it('accepts a long passphrase, Chinese characters counted one each', async () => {
      const user = await newUser();
      await t.http
        .patch(`/api/v1/users/${user.id}`)
        .set(await admin())
        .send({ password: '咸祥镇南头社区的老街' })
        .expect(200);
      expect((await login(user.username, '咸祥镇南头社区的老街')).status).toBe(200);
    });

    it('the demo accounts keep their seeded password', async () => {
      expect((await login('resident-5', DEMO_PASSWORD)).status).toBe(200);
    });
  });

  describe('access tokens', () => {
    let subject: string;

    beforeAll(async () => {
      subject = (await newUser('supervisor', 'xianxiang')).id;
    });

    it.each<[string, () => string]>([
      ['alg none', () => jwt({ sub: subject, iat: nowSeconds(), exp: nowSeconds() + 600 }, 'none')],
      [
        'HS512 signed with the secret',
        () => jwt({ sub: subject, iat: nowSeconds(), exp: nowSeconds() + 600 }, 'HS512'),
      ],
      [
        'HS384 signed with the secret',
        () => jwt({ sub: subject, iat: nowSeconds(), exp: nowSeconds() + 600 }, 'HS384'),
      ],
      [
        'an iat more than 60 s in the future',
        () => jwt({ sub: subject, iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 }),
      ],
      ['no expiry', () => jwt({ sub: subject, iat: nowSeconds() })],
      ['no iat', () => jwt({ sub: subject, exp: nowSeconds() + 600 })],
      [
        'an iat_ms that disagrees with iat',
        () =>
          jwt({
            sub: subject,
            iat: nowSeconds(),
            iat_ms: Date.now() + 3_600_000,
            exp: nowSeconds() + 600,
          }),
      ],
      [
        'a subject that is not a user id',
        () => jwt({ sub: 'admin', iat: nowSeconds(), exp: nowSeconds() + 600 }),
      ],
    ])('refuses a token with %s (401 AUTH.INVALID_TOKEN)', async (_what, token) => {
      expectProblem(await requests(token()), 401, 'AUTH.INVALID_TOKEN');
    });

    it('takes an HS256 token whose iat is a little ahead (clock skew)', async () => {
      const token = jwt({ sub: subject, iat: nowSeconds() + 30, exp: nowSeconds() + 600 });
      await requests(token).expect(200);
    });

    it('signs with HS256, lives 15 minutes by default, and carries its issue time in ms', async () => {
      const user = await newUser();
      const res = await login(user.username, USER_PASSWORD);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const [head, body] = (res.body.accessToken as string).split('.');
      expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
      expect(claims.exp - claims.iat).toBe(900);
      expect(Math.floor(claims.iat_ms / 1000)).toBe(claims.iat);
      expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    });
  });

  describe('revocation', () => {
    async function signedIn(username: string) {
      const res = await login(username, USER_PASSWORD);
      expect(res.status).toBe(200);
      // One call first, so the verified-token and actor caches hold this token's user.
      await requests(res.body.accessToken).expect(200);
      return res.body as { accessToken: string; refreshToken: string };
    }

    async function validAfter(id: string): Promise<number> {
      const [row] = await db().query<{ at: Date }[]>(
        `SELECT tokens_valid_after AS at FROM users WHERE id = $1`,
        [id],
      );
      return row.at.getTime();
    }

    it('an admin password change refuses the old access and refresh tokens at once; a fresh sign-in works', async () => {
      const user = await newUser();
      const old = await signedIn(user.username);
      await t.http
        .patch(`/api/v1/users/${user.id}`)
        .set(await admin())
        .send({ password: 'another-long-passphrase' })
        .expect(200);
      expectProblem(await requests(old.accessToken), 401, 'AUTH.INVALID_TOKEN');
      expectProblem(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: old.refreshToken }),
        401,
        'AUTH.INVALID_TOKEN',
      );
      const fresh = await login(user.username, 'another-long-passphrase');
      expect(fresh.status).toBe(200);
      await requests(fresh.body.accessToken).expect(200);
    });

    it('a token issued in the same second as the change but before it is refused; one after it is not', async () => {
      const user = await newUser();
      await t.http
        .patch(`/api/v1/users/${user.id}`)
        .set(await admin())
        .send({ password: 'another-long-passphrase' })
        .expect(200);
      const at = await validAfter(user.id);
      const token = (ms: number, withMs = true) =>
        jwt({
          sub: user.id,
          iat: Math.floor(ms / 1000),
          ...(withMs ? { iat_ms: ms } : {}),
          exp: Math.floor(ms / 1000) + 600,
        });
      expectProblem(await requests(token(at - 1)), 401, 'AUTH.INVALID_TOKEN');
      // Without milliseconds, a token of that second cannot be ordered: refused.
      expectProblem(await requests(token(at + 1, false)), 401, 'AUTH.INVALID_TOKEN');
      await requests(token(at + 1)).expect(200);
    });

    it('changing your own password ends every other session and answers new tokens', async () => {
      const user = await newUser();
      const phone = await signedIn(user.username);
      const laptop = await signedIn(user.username);

      expectProblem(
        await t.http
          .post('/api/v1/auth/password')
          .set('X-Forwarded-For', uniqueAddress())
          .set(bearer(laptop.accessToken))
          .send({ currentPassword: 'not-my-password', newPassword: 'a-brand-new-passphrase' }),
        403,
        'AUTH.WRONG_PASSWORD',
      );
      const changed = await t.http
        .post('/api/v1/auth/password')
        .set(bearer(laptop.accessToken))
        .send({ currentPassword: USER_PASSWORD, newPassword: 'a-brand-new-passphrase' });
      expect(changed.status).toBe(200);
      expect(changed.headers['cache-control']).toBe('no-store');
      expect(changed.body).toMatchObject({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
      });

      for (const old of [phone, laptop]) {
        expectProblem(await requests(old.accessToken), 401, 'AUTH.INVALID_TOKEN');
        expectProblem(
          await t.http.post('/api/v1/auth/refresh').send({ refreshToken: old.refreshToken }),
          401,
          'AUTH.INVALID_TOKEN',
        );
      }
      await requests(changed.body.accessToken).expect(200);
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: changed.body.refreshToken })
        .expect(200);
      expect((await login(user.username, USER_PASSWORD)).status).toBe(401);
      expect((await login(user.username, 'a-brand-new-passphrase')).status).toBe(200);
    });

    it('the change-password endpoint needs a bearer token', async () => {
      expectProblem(
        await t.http
          .post('/api/v1/auth/password')
          .send({ currentPassword: USER_PASSWORD, newPassword: 'a-brand-new-passphrase' }),
        401,
        'AUTH.UNAUTHENTICATED',
      );
    });

    it('a deactivated user’s tokens stay refused after reactivation', async () => {
      const user = await newUser();
      const old = await signedIn(user.username);
      await t.http
        .patch(`/api/v1/users/${user.id}`)
        .set(await admin())
        .send({ active: false })
        .expect(200);
      expectProblem(await requests(old.accessToken), 401, 'AUTH.INVALID_TOKEN');
      await t.http
        .patch(`/api/v1/users/${user.id}`)
        .set(await admin())
        .send({ active: true })
        .expect(200);
      expectProblem(await requests(old.accessToken), 401, 'AUTH.INVALID_TOKEN');
      expectProblem(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: old.refreshToken }),
        401,
        'AUTH.INVALID_TOKEN',
      );
      const fresh = await login(user.username, USER_PASSWORD);
      await requests(fresh.body.accessToken).expect(200);
    });

    it.each<[string, Record<string, unknown> | (() => Promise<Record<string, unknown>>)]>([
      ['a role change', { role: 'assignee' }],
      ['a unit change', async () => ({ unitId: await unitOf('branch-2') })],
    ])('%s refuses the old tokens; a fresh sign-in has the new powers', async (_what, change) => {
      const user = await newUser('secretary', 'branch-1');
      const old = await signedIn(user.username);
      const body = typeof change === 'function' ? await change() : change;
      const patched = await t.http
        .patch(`/api/v1/users/${user.id}`)
        .set(await admin())
        .send(body)
        .expect(200);
      expect(patched.body).toMatchObject(body);
      expectProblem(await requests(old.accessToken), 401, 'AUTH.INVALID_TOKEN');
      expectProblem(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: old.refreshToken }),
        401,
        'AUTH.INVALID_TOKEN',
      );
      const fresh = await login(user.username, USER_PASSWORD);
      expect(fresh.body.user).toMatchObject(body);
      await requests(fresh.body.accessToken).expect(200);
    });

    it('a name or phone change ends no session', async () => {
      const user = await newUser();
      const old = await signedIn(user.username);
      await t.http
        .patch(`/api/v1/users/${user.id}`)
        .set(await admin())
        .send({ displayName: '新名字', phone: '13612345678' })
        .expect(200);
      await requests(old.accessToken).expect(200);
    });
  });

  describe('refresh tokens', () => {
    const refresh = (refreshToken: unknown) =>
      t.http.post('/api/v1/auth/refresh').send({ refreshToken });

    it('sign-in answers a 256-bit refresh token lasting 12 h, stored only as its SHA-256', async () => {
      const user = await newUser();
      const res = await login(user.username, USER_PASSWORD);
      expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(res.body.refreshToken, 'base64url')).toHaveLength(32);
      expect(res.body.refreshExpiresIn).toBe(12 * 3600);
      const rows = await db().query<{ hash: string; ttl: number }[]>(
        `SELECT token_hash AS hash, extract(epoch FROM expires_at - created_at)::int AS ttl
           FROM refresh_tokens WHERE user_id = $1`,
        [user.id],
      );
      expect(rows).toEqual([
        {
          hash: createHash('sha256').update(res.body.refreshToken).digest('hex'),
          ttl: 12 * 3600,
        },
      ]);
    });

    it('rotates: each refresh token works once and gives a new pair', async () => {
      const user = await newUser();
      const first = (await login(user.username, USER_PASSWORD)).body;
      const second = await refresh(first.refreshToken);
      expect(second.status).toBe(200);
      expect(second.headers['cache-control']).toBe('no-store');
      expect(second.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      await requests(second.body.accessToken).expect(200);
      const third = await refresh(second.body.refreshToken);
      expect(third.status).toBe(200);
      await requests(third.body.accessToken).expect(200);
    });

    it('reusing a used refresh token revokes the whole family (theft detection)', async () => {
      const user = await newUser();
      const stolen = (await login(user.username, USER_PASSWORD)).body.refreshToken;
      const legit = (await refresh(stolen)).body.refreshToken;
      expectProblem(await refresh(stolen), 401, 'AUTH.INVALID_TOKEN');
      expectProblem(await refresh(legit), 401, 'AUTH.INVALID_TOKEN');
      // Another sign-in of the same user is another family, untouched.
      const other = (await login(user.username, USER_PASSWORD)).body.refreshToken;
      await refresh(other).expect(200);
    });

    it('parallel uses of one refresh token give at most one new pair', async () => {
      const user = await newUser();
      const token = (await login(user.username, USER_PASSWORD)).body.refreshToken;
      const statuses = (await Promise.all(Array.from({ length: 5 }, () => refresh(token)))).map(
        (r) => r.status,
      );
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
      expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
    });

    it('logout revokes the family (204), is idempotent, and unknown tokens answer 204 too', async () => {
      const user = await newUser();
      const first = (await login(user.username, USER_PASSWORD)).body.refreshToken;
      const second = (await refresh(first)).body.refreshToken;
      const out = await t.http.post('/api/v1/auth/logout').send({ refreshToken: first });
      expect(out.status).toBe(204);
      expectProblem(await refresh(second), 401, 'AUTH.INVALID_TOKEN');
      await t.http.post('/api/v1/auth/logout').send({ refreshToken: second }).expect(204);
      await t.http
        .post('/api/v1/auth/logout')
        .send({ refreshToken: randomBytes(32).toString('base64url') })
        .expect(204);
    });

    it('an expired refresh token is refused', async () => {
      const user = await newUser();
      const token = (await login(user.username, USER_PASSWORD)).body.refreshToken;
      await db().query(
        `UPDATE refresh_tokens SET expires_at = created_at + interval '1 millisecond' WHERE user_id = $1`,
        [user.id],
      );
      expectProblem(await refresh(token), 401, 'AUTH.INVALID_TOKEN');
    });

    it.each<[string, unknown, number, string]>([
      ['an unknown token', randomBytes(32).toString('base64url'), 401, 'AUTH.INVALID_TOKEN'],
      ['a malformed token', 'not a token', 400, 'VALIDATION.FAILED'],
      ['a number', 42, 400, 'VALIDATION.FAILED'],
      ['nothing', undefined, 400, 'VALIDATION.FAILED'],
      ['an access token', 'x'.repeat(300), 400, 'VALIDATION.FAILED'],
    ])('refuses %s', async (_what, token, status, code) => {
      expectProblem(await refresh(token), status, code);
      if (status === 400) {
        expectProblem(
          await t.http.post('/api/v1/auth/logout').send({ refreshToken: token }),
          status,
          code,
        );
      }
    });

    it('are described in the OpenAPI document', async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body;
      for (const path of ['/api/v1/auth/refresh', '/api/v1/auth/password']) {
        expect(doc.paths[path].post.responses['200'].content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/SessionDto',
        });
      }
      expect(doc.paths['/api/v1/auth/logout'].post.responses).toHaveProperty('204');
      expect(Object.keys(doc.components.schemas.SessionDto.properties)).toEqual(
        expect.arrayContaining(['accessToken', 'expiresIn', 'refreshToken', 'refreshExpiresIn']),
      );
      expect(doc.components.schemas.LoginResponseDto.required).toEqual(
        expect.arrayContaining(['refreshToken', 'user']),
      );
    });
  });

  async function unitOf(code: string): Promise<string> {
    const [row] = await db().query<{ id: string }[]>(`SELECT id FROM units WHERE code = $1`, [
      code,
    ]);
    return row.id;
  }
});
