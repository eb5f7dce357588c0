/**
 * A value that changes rarely but is read on every call (units, categories, SLA policies): loaded
 * at most once per `ms` and shared by concurrent callers. A failed load is not kept. A change made
 * through this process runs inside `changing`, which drops the value before and after it, so no
 * load that raced the change survives it; another process's change shows within `ms`.
 */
export class Expiring<T> {
  private entry: { value: Promise<T>; until: number } | undefined;

  constructor(
    private readonly ms: number,
    private readonly load: () => Promise<T>,
  ) {}

  get(): Promise<T> {
    const now = Date.now();
    if (this.entry && this.entry.until > now) return this.entry.value;
    const entry = { value: this.load(), until: now + this.ms };
    this.entry = entry;
    entry.value.catch(() => {
      if (this.entry === entry) this.entry = undefined;
    });
    return entry.value;
  }

  async changing<R>(work: () => Promise<R>): Promise<R> {
    this.entry = undefined;
    try {
      return await work();
    } finally {
      this.entry = undefined;
    }
  }
}
