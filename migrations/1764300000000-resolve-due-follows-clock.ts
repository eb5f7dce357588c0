import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `requests.resolve_due_at` (the base of the resolution rate: requests whose resolve deadline fell in
 * the period) follows the request's resolve clock wherever its due time moves: a resume after a
 * hold, an approved extension, a dispute that restarts the clock, a calendar edit. One trigger
 * rather than each of those paths remembering to copy it. A paused clock has no due time; the last
 * one stands until it resumes.
 */
export class ResolveDueFollowsClock1764300000000 implements MigrationInterface {
  name = 'ResolveDueFollowsClock1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION request_resolve_due_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE requests SET resolve_due_at = NEW.due_at
         WHERE id = NEW.request_id AND resolve_due_at IS DISTINCT FROM NEW.due_at;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER request_clocks_resolve_due_insert AFTER INSERT ON request_clocks
      FOR EACH ROW WHEN (NEW.kind = 'resolve' AND NEW.due_at IS NOT NULL)
      EXECUTE FUNCTION request_resolve_due_follow()`);
    await q.query(`
      CREATE TRIGGER request_clocks_resolve_due_update AFTER UPDATE OF due_at ON request_clocks
      FOR EACH ROW WHEN (NEW.kind = 'resolve' AND NEW.due_at IS NOT NULL
                         AND NEW.due_at IS DISTINCT FROM OLD.due_at)
      EXECUTE FUNCTION request_resolve_due_follow()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER request_clocks_resolve_due_update ON request_clocks`);
    await q.query(`DROP TRIGGER request_clocks_resolve_due_insert ON request_clocks`);
    await q.query(`DROP FUNCTION request_resolve_due_follow()`);
  }
}
