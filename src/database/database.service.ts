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
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  manager(): EntityManager {
    return this.current.getStore() ?? this.dataSource.manager;
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return work();
    return this.dataSource.transaction((manager) => this.current.run(manager, work));
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
