/**
 * At most `limit` holders at once; the others wait in arrival order. Password hashing takes it so
 * a flood of sign-ins queues here instead of filling libuv's thread pool, which other work needs.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('limit must be a positive integer');
  }

  /** Runs `task` once a slot is free; the slot is given back however `task` ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so `active` never drops below the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }

  get pending(): number {
    return this.waiting.length;
  }

  get running(): number {
    return this.active;
  }
}
