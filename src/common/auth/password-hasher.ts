import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { hashPassword, verifyPassword } from './passwords';
import { Semaphore } from './semaphore';

/**
 * argon2 for the API, at most PASSWORD_HASH_CONCURRENCY at a time per process: each takes tens
 * of milliseconds of a thread-pool thread and 64 MiB, so hundreds of parallel bad sign-ins would
 * otherwise starve everything else, a real sign-in included.
 */
@Injectable()
export class PasswordHasher {
  private readonly slots: Semaphore;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.slots = new Semaphore(config.passwordHashConcurrency);
  }

  hash(plain: string): Promise<string> {
    return this.slots.run(() => hashPassword(plain));
  }

  /**
   * `gate.admit` runs once a slot is free, just before hashing, and may throw to give the slot
   * back unused: a sign-in that waited while its account got locked is refused without hashing.
   * `gate.mismatch` runs while the slot is still held, so the next waiter's `admit` counts it.
   */
  verify(
    hash: string | null,
    plain: string,
    gate?: { admit(): Promise<void>; mismatch(): Promise<void> },
  ): Promise<boolean> {
    return this.slots.run(async () => {
      await gate?.admit();
      const ok = await verifyPassword(hash, plain);
      if (!ok) await gate?.mismatch();
      return ok;
    });
  }
}
