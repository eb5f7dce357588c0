import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contact leaders (包乡走村) and a fair red/black list.
 *
 * A branch may name a contact leader: a town- or county-level user above it who reads its
 * requests and hears of its escalations and breaches.
 *
 * The response rate's base: a request counts once it was answered (accepted or rejected) or its
 * accept limit passed first. `responded_on_time` now says exactly that: true or false once the
 * request counts, null before. The engine sets it false when the accept limit passes
 * unanswered; requests whose accept clock already breached get it here. The rollup keeps the
 * base as `response_due`, and its on-time column is named for what it counts.
 */
export class ContactLeadersAndFairRanking1764900000000 implements MigrationInterface {
  name = 'ContactLeadersAndFairRanking1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE units
        ADD COLUMN contact_leader_id uuid REFERENCES users (id) ON DELETE SET NULL,
        ADD CONSTRAINT units_contact_leader_branch CHECK (type = 'branch' OR contact_leader_id IS NULL)`);
    await q.query(
      `CREATE INDEX units_contact_leader_idx ON units (contact_leader_id)
       WHERE contact_leader_id IS NOT NULL`,
    );

    await q.query(`
      UPDATE requests r SET responded_on_time = false
       WHERE r.responded_at IS NULL AND r.responded_on_time IS NULL
         AND EXISTS (SELECT 1 FROM request_clocks c
                      WHERE c.request_id = r.id AND c.kind = 'accept' AND c.status = 'breached')`);
    await q.query(`ALTER TABLE request_stats RENAME COLUMN accepted_on_time TO responded_on_time`);
    await q.query(`ALTER TABLE request_stats ADD COLUMN response_due int NOT NULL DEFAULT 0`);
    // Every stored day is recomputed by the next refresh (its month with it).
    await q.query(`
      INSERT INTO request_stats_dirty (day, unit_path)
      SELECT period, unit_path FROM request_stats WHERE grain = 'day'`);

    await q.query(`
      UPDATE settings SET value = value || '{"minReceived": 5}'::jsonb, updated_at = now()
       WHERE key = 'ranking_weights' AND NOT value ? 'minReceived'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE settings SET value = value - 'minReceived' WHERE key = 'ranking_weights'`,
    );
    await q.query(`ALTER TABLE request_stats DROP COLUMN response_due`);
    await q.query(`ALTER TABLE request_stats RENAME COLUMN responded_on_time TO accepted_on_time`);
    await q.query(`DROP INDEX units_contact_leader_idx`);
    await q.query(
      `ALTER TABLE units DROP CONSTRAINT units_contact_leader_branch, DROP COLUMN contact_leader_id`,
    );
  }
}
