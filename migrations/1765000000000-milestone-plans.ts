import type { MigrationInterface, QueryRunner } from 'typeorm';

const CLOCK_KINDS = `('accept', 'dispatch', 'resolve', 'feedback', 'milestone')`;
/** The kinds of clock a work queue waits on (migration 1764500000000), now with milestones. */
const DUE_KINDS = `('accept', 'dispatch', 'resolve', 'milestone')`;
const OLD_DUE_KINDS = `('accept', 'dispatch', 'resolve')`;

function nextDueFollow(kinds: string): string {
  return `
    CREATE OR REPLACE FUNCTION request_next_due_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE requests r SET next_due_at = d.due
        FROM (SELECT min(due_at) AS due FROM request_clocks
               WHERE request_id = NEW.request_id AND status = 'running'
                 AND kind IN ${kinds}) d
       WHERE r.id = NEW.request_id AND r.next_due_at IS DISTINCT FROM d.due;
      RETURN NULL;
    END $$`;
}

async function nextDueTriggers(q: QueryRunner, kinds: string): Promise<void> {
  await q.query(`DROP TRIGGER request_clocks_next_due_insert ON request_clocks`);
  await q.query(`DROP TRIGGER request_clocks_next_due_update ON request_clocks`);
  await q.query(nextDueFollow(kinds));
  await q.query(`
    CREATE TRIGGER request_clocks_next_due_insert AFTER INSERT ON request_clocks
    FOR EACH ROW WHEN (NEW.kind IN ${kinds})
    EXECUTE FUNCTION request_next_due_follow()`);
  await q.query(`
    CREATE TRIGGER request_clocks_next_due_update AFTER UPDATE ON request_clocks
    FOR EACH ROW WHEN (NEW.kind IN ${kinds}
                       AND (OLD.status, OLD.due_at) IS DISTINCT FROM (NEW.status, NEW.due_at))
    EXECUTE FUNCTION request_next_due_follow()`);
}

/**
 * Long resolutions on a plan of milestones. While an approved plan runs, its current milestone
 * has a clock of its own (kind `milestone`); a work queue sorted by due time waits on it too.
 * `milestone_late_since` says since when that milestone is late: it puts the request on the
 * overdue board without making it overdue in the figures, which wait for the plan's end (the
 * resolve clock's due time). Proposed plans, like extensions, are few and found by subtree.
 */
export class MilestonePlans1765000000000 implements MigrationInterface {
  name = 'MilestonePlans1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_clocks DROP CONSTRAINT request_clocks_kind_check`);
    await q.query(`
      ALTER TABLE request_clocks ADD CONSTRAINT request_clocks_kind_check
      CHECK (kind IN ${CLOCK_KINDS})`);
    await nextDueTriggers(q, DUE_KINDS);

    await q.query(`ALTER TABLE requests ADD COLUMN milestone_late_since timestamptz`);
    await q.query(`
      CREATE INDEX requests_milestone_late_idx ON requests (milestone_late_since)
      WHERE milestone_late_since IS NOT NULL`);

    await q.query(`
      CREATE INDEX requests_plan_pending_idx ON requests (unit_path text_pattern_ops)
      WHERE jsonb_typeof(context -> 'planRequested') = 'object'`);
    await q.query(`
      CREATE STATISTICS requests_plan_pending_stats
      ON (jsonb_typeof(context -> 'planRequested')) FROM requests`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS requests_plan_pending_stats`);
    await q.query(`DROP INDEX requests_plan_pending_idx`);
    await q.query(`DROP INDEX requests_milestone_late_idx`);
    await q.query(`ALTER TABLE requests DROP COLUMN milestone_late_since`);
    await nextDueTriggers(q, OLD_DUE_KINDS);
    await q.query(`DELETE FROM request_clocks WHERE kind = 'milestone'`);
    await q.query(`ALTER TABLE request_clocks DROP CONSTRAINT request_clocks_kind_check`);
    await q.query(`
      ALTER TABLE request_clocks ADD CONSTRAINT request_clocks_kind_check
      CHECK (kind IN ('accept', 'dispatch', 'resolve', 'feedback'))`);
  }
}
