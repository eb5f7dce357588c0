import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

/** One definition of the connection, shared by the API, the worker, the CLI and the tests. */
export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // The schema belongs to the migrations alone.
    synchronize: false,
    migrationsRun: false,
    poolSize,
    extra: { application_name: 'closed-loop' },
  };
}
