import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facts the supervision figures need, kept on the request by the engine as they happen, so the
 * three rates over a million requests are one scan of one table rather than a walk of the events.
 */
export class Supervision1764000000000 implements MigrationInterface {
  name = 'Supervision1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE requests
        ADD COLUMN responded_at timestamptz,
        ADD COLUMN responded_on_time boolean,
        ADD COLUMN accepted_at timestamptz,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN resolved_at timestamptz,
        ADD COLUMN resolved_on_time boolean,
        ADD COLUMN resolve_due_at timestamptz,
        ADD COLUMN dispute_count int NOT NULL DEFAULT 0,
        ADD COLUMN overdue_since timestamptz`);
    await q.query(
      `CREATE INDEX requests_path_created_idx ON requests (unit_path text_pattern_ops, created_at)`,
    );
    await q.query(`CREATE INDEX requests_resolve_due_idx ON requests (resolve_due_at)`);
    await q.query(`
      CREATE INDEX requests_overdue_idx ON requests (overdue_since)
      WHERE overdue_since IS NOT NULL`);
    await q.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO settings (key, value)
      VALUES ('ranking_weights', '{"response": 0.3, "resolution": 0.4, "satisfaction": 0.3}')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE settings`);
    await q.query(`DROP INDEX requests_overdue_idx`);
    await q.query(`DROP INDEX requests_resolve_due_idx`);
    await q.query(`DROP INDEX requests_path_created_idx`);
    await q.query(`
      ALTER TABLE requests
        DROP COLUMN responded_at, DROP COLUMN responded_on_time, DROP COLUMN accepted_at,
        DROP COLUMN escalated_at, DROP COLUMN resolved_at, DROP COLUMN resolved_on_time,
        DROP COLUMN resolve_due_at, DROP COLUMN dispute_count, DROP COLUMN overdue_since`);
  }
}
