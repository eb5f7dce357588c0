import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';

/**
 * The transaction boundary. Services open one transaction per command with `transaction()`;
 * repositories find it through `manager()` without it being passed down by hand.
 */
@Injectable()
export class DatabaseService {
  private readonly current = new AsyncLocalStorage<{
    manager: EntityManager;
    afterCommit: (() => void)[];
  }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  manager(): EntityManager {
    return this.current.getStore()?.manager ?? this.dataSource.manager;
  }

  /** Runs `work` in a transaction, or inside the caller's when one is already open. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return work();
    const afterCommit: (() => void)[] = [];
    const result = await this.dataSource.transaction((manager) =>
      this.current.run({ manager, afterCommit }, work),
    );
    for (const hook of afterCommit) hook();
    return result;
  }

  /** Runs `hook` once the current transaction has committed (at once outside a transaction). */
  afterCommit(hook: () => void): void {
    const store = this.current.getStore();
    if (store) store.afterCommit.push(hook);
    else hook();
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}

/** The Postgres error code of a failed query, if it is one. */
export function pgErrorCode(error: unknown): string | undefined {
  if (error instanceof QueryFailedError) {
    return (error.driverError as { code?: string }).code;
  }
  return undefined;
}
