import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { seedDemo } from '../src/database/demo-data';
import { TEST_DATABASE_URL } from './support/env';

/** A fresh database per run: created, migrated with the real migrations, loaded with the demo town. */
export default async function globalSetup(): Promise<void> {
  const url = new URL(TEST_DATABASE_URL);
  const name = url.pathname.slice(1);
  const admin = new Client({
    connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(dataSourceOptions(TEST_DATABASE_URL, 2));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await seedDemo(dataSource, 'demo1234');
    // The suites resolve requests of roads, their usual category, without photos; the evidence
    // suite turns the rule on for roads where it tests it. Sanitation keeps the seeded rule.
    await dataSource.query(`UPDATE categories SET evidence_required = false WHERE code = 'roads'`);
  } finally {
    await dataSource.destroy();
  }
}
