import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Covering indexes for the supervision figures (bench:supervision). A subtree and a period become
 * one index range, and the figures are read from the index alone (an index-only scan), never from
 * the wide request rows. The overdue list of a town counts its late items from a small partial
 * index instead of visiting every late request of the county.
 */
export class SupervisionIndexes1764100000000 implements MigrationInterface {
  name = 'SupervisionIndexes1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // Requests received in a period: every column the `received` figures read.
    await q.query(`
      CREATE INDEX requests_path_created_cov_idx ON requests (unit_path text_pattern_ops, created_at)
      INCLUDE (state, accepted_at, responded_on_time, return_count, resolved_at, escalated_at,
               resolved_on_time, outcome, reopen_count, overdue_since)`);
    await q.query(`DROP INDEX requests_path_created_idx`);
    // Requests whose resolve deadline fell in a period: the `due` figures.
    await q.query(`
      CREATE INDEX requests_path_due_cov_idx ON requests (unit_path text_pattern_ops, resolve_due_at)
      INCLUDE (state, rating, outcome, dispute_count)`);
    await q.query(`
      CREATE INDEX requests_path_overdue_idx ON requests (unit_path text_pattern_ops, overdue_since)
      INCLUDE (state) WHERE overdue_since IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX requests_path_overdue_idx`);
    await q.query(`DROP INDEX requests_path_due_cov_idx`);
    await q.query(
      `CREATE INDEX requests_path_created_idx ON requests (unit_path text_pattern_ops, created_at)`,
    );
    await q.query(`DROP INDEX requests_path_created_cov_idx`);
  }
}
