import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { seedDemo } from './demo-data';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'DATABASE_URL is required, e.g. postgres://postgres@127.0.0.1:5432/closed_loop',
    );
  const dataSource = new DataSource(dataSourceOptions(url, 2));
  await dataSource.initialize();
  try {
    await seedDemo(dataSource, process.env.DEMO_PASSWORD || 'demo1234');
    console.log('Demo data is in place (units, users, categories)');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
