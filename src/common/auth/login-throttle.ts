import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { REDIS } from '../redis/redis.module';
import { domainError } from '../errors/domain-error';

const PREFIX = 'closed-loop:login-failures';

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * What one client's failures are counted under: an IPv4 address (also when IPv4-mapped), or the
 * /64 an IPv6 address lies in, since one host commonly holds a whole /64.
 */
export function addressBucket(address: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (v4) return v4[1];
  if (!isIPv6(address)) return address;
  const [head, tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  // A dotted IPv4 tail fills two groups.
  const width = right.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const full = [
    ...left,
    ...Array<string>(Math.max(0, 8 - left.length - width)).fill('0'),
    ...right,
  ];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * The Redis keys counting failed sign-ins of an account and from an address. Both are hashed, so
 * nothing a caller types ends up in a key as typed (no `*`, `:` or newline games, no usernames
 * in the keyspace); the username is normalised the way sign-in normalises it.
 */
export function loginFailureKeys(
  username: string,
  address: string,
): { account: string; address: string } {
  return {
    account: `${PREFIX}:account:${digest(username.trim().toLowerCase())}`,
    address: `${PREFIX}:address:${digest(addressBucket(address))}`,
  };
}

/**
 * Counts one failure on each key. The first failure opens the window; the failure that reaches a
 * key's limit opens it again, so a lock lasts one whole window. A key without an expiry (which
 * should not happen) gets one rather than locking forever.
 */
const RECORD_FAILURE = `
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == tonumber(ARGV[i + 1]) or redis.call('TTL', key) < 0 then
    redis.call('EXPIRE', key, ARGV[1])
  end
end
return 1`;

/** Forgets an account's failures unless it is locked: a success never lifts a lock. */
const CLEAR_UNLESS_LOCKED = `
if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
end
return 1`;

/**
 * Failed sign-ins per account and per client address, in Redis so every API process shares them.
 * Only failures count, so many people signing in from one office address are never held up.
 * When Redis cannot be reached the throttle lets sign-ins through (logged): a Redis outage must
 * not lock everyone out, and the hashing semaphore still bounds the cost of a flood.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 AUTH.TOO_MANY_ATTEMPTS, with Retry-After, while the account or address is locked. */
  async assertAllowed(username: string, address: string): Promise<void> {
    const keys = loginFailureKeys(username, address);
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await this.redis
        .pipeline()
        .get(keys.account)
        .pttl(keys.account)
        .get(keys.address)
        .pttl(keys.address)
        .exec();
    } catch (e) {
      this.logger.warn(`Login throttle unavailable, letting the sign-in through: ${String(e)}`);
      return;
    }
    const value = (i: number) => Number(replies?.[i]?.[1] ?? 0);
    const waits: number[] = [];
    const locks: string[] = [];
    if (value(0) >= this.config.loginMaxFailuresPerAccount) {
      waits.push(value(1));
      locks.push('for this account');
    }
    if (value(2) >= this.config.loginMaxFailuresPerAddress) {
      waits.push(value(3));
      locks.push('from this address');
    }
    if (locks.length === 0) return;
    const longest = Math.max(...waits);
    const retryAfter = longest > 0 ? Math.ceil(longest / 1000) : this.config.loginWindowSeconds;
    throw domainError(
      'AUTH.TOO_MANY_ATTEMPTS',
      `Too many failed sign-ins ${locks.join(' and ')}; try again in ${retryAfter} seconds`,
      { retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const keys = loginFailureKeys(username, address);
    await this.guarded(() =>
      this.redis.eval(
        RECORD_FAILURE,
        2,
        keys.account,
        keys.address,
        this.config.loginWindowSeconds,
        this.config.loginMaxFailuresPerAccount,
        this.config.loginMaxFailuresPerAddress,
      ),
    );
  }

  async recordSuccess(username: string): Promise<void> {
    const { account } = loginFailureKeys(username, '');
    await this.guarded(() =>
      this.redis.eval(CLEAR_UNLESS_LOCKED, 1, account, this.config.loginMaxFailuresPerAccount),
    );
  }

  private async guarded(command: () => Promise<unknown>): Promise<void> {
    try {
      await command();
    } catch (e) {
      this.logger.warn(`Login throttle unavailable: ${String(e)}`);
    }
  }
}
