import type { MigrationInterface, QueryRunner } from 'typeorm';

const LOCAL_DAY = (col: string) => `(${col} AT TIME ZONE 'Asia/Shanghai')::date`;

/** The columns the figures read: a change in any of them changes some figure. */
const FIGURE_COLUMNS = `state, unit_path, created_at, resolve_due_at, accepted_at, responded_on_time,
  return_count, resolved_at, escalated_at, resolved_on_time, outcome, rating, reopen_count,
  dispute_count, overdue_since`;
const row = (alias: string) =>
  `(${FIGURE_COLUMNS.split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ')})`;

/**
 * The supervision rollup: the figures' sums per Asia/Shanghai day and per month, per branch path,
 * so a county-year is a few thousand rows instead of a million requests.
 *
 * Triggers on `requests` note which (day, branch path) keys a write touched in
 * request_stats_dirty, for both the day a request was received and the day it is due, before and
 * after the write. The table has no unique key on purpose: every write adds its own rows, so a
 * refresh that deletes (and recomputes) exactly the rows its snapshot sees can never drop the note
 * of a write that commits later, and concurrent writers never wait on each other here.
 */
export class SupervisionRollup1764200000000 implements MigrationInterface {
  name = 'SupervisionRollup1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_stats (
        grain text NOT NULL CHECK (grain IN ('day', 'month')),
        period date NOT NULL,
        unit_path text NOT NULL,
        received int NOT NULL,
        accepted int NOT NULL,
        accepted_on_time int NOT NULL,
        rejected int NOT NULL,
        returned int NOT NULL,
        resolved_at_branch int NOT NULL,
        escalated int NOT NULL,
        resolved int NOT NULL,
        resolved_on_time int NOT NULL,
        closed int NOT NULL,
        satisfied int NOT NULL,
        dissatisfied int NOT NULL,
        no_feedback int NOT NULL,
        reopened int NOT NULL,
        overdue_now int NOT NULL,
        accept_seconds double precision NOT NULL,
        resolve_seconds double precision NOT NULL,
        due_in_period int NOT NULL,
        solved_of_due int NOT NULL,
        refreshed_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Period first: a county reads every branch of a few periods, a town a twentieth of them.
    await q.query(`
      CREATE UNIQUE INDEX request_stats_key_idx
        ON request_stats (grain, period, unit_path text_pattern_ops)`);
    // A queue: every refresh deletes all of it, so vacuum it early or the next scan reads dead pages.
    await q.query(`
      CREATE TABLE request_stats_dirty (
        day date NOT NULL,
        unit_path text NOT NULL
      ) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000)`);
    // The backlog is counted live over the open requests only.
    await q.query(`
      CREATE INDEX requests_path_open_idx ON requests (unit_path text_pattern_ops, created_at)
      INCLUDE (category_id)
      WHERE state IN ('submitted', 'accepted', 'escalated', 'assigned', 'resolved')`);

    // Bulk writes (COPY, multi-row statements) note their keys once per statement.
    await q.query(`
      CREATE FUNCTION request_stats_touch_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO request_stats_dirty (day, unit_path)
          SELECT DISTINCT k.day, k.unit_path FROM new_rows n, LATERAL (VALUES
            (${LOCAL_DAY('n.created_at')}, n.unit_path),
            (${LOCAL_DAY('n.resolve_due_at')}, n.unit_path)) k (day, unit_path)
          WHERE k.day IS NOT NULL;
        ELSE
          INSERT INTO request_stats_dirty (day, unit_path)
          SELECT DISTINCT k.day, k.unit_path FROM old_rows o, LATERAL (VALUES
            (${LOCAL_DAY('o.created_at')}, o.unit_path),
            (${LOCAL_DAY('o.resolve_due_at')}, o.unit_path)) k (day, unit_path)
          WHERE k.day IS NOT NULL;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER requests_stats_insert AFTER INSERT ON requests
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION request_stats_touch_rows()`);
    await q.query(`
      CREATE TRIGGER requests_stats_delete AFTER DELETE ON requests
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
      EXECUTE FUNCTION request_stats_touch_rows()`);
    // An engine command updates one row; the WHEN skips the writes no figure reads (comments).
    await q.query(`
      CREATE FUNCTION request_stats_touch_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO request_stats_dirty (day, unit_path)
        SELECT DISTINCT k.day, k.unit_path FROM (VALUES
          (${LOCAL_DAY('OLD.created_at')}, OLD.unit_path),
          (${LOCAL_DAY('OLD.resolve_due_at')}, OLD.unit_path),
          (${LOCAL_DAY('NEW.created_at')}, NEW.unit_path),
          (${LOCAL_DAY('NEW.resolve_due_at')}, NEW.unit_path)) k (day, unit_path)
        WHERE k.day IS NOT NULL;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER requests_stats_update AFTER UPDATE ON requests FOR EACH ROW
      WHEN (${row('OLD')} IS DISTINCT FROM ${row('NEW')})
      EXECUTE FUNCTION request_stats_touch_row()`);

    // What is already there is refreshed by the first refresh (the worker's, or the first stats call).
    await q.query(`
      INSERT INTO request_stats_dirty (day, unit_path)
      SELECT DISTINCT k.day, k.unit_path FROM requests r, LATERAL (VALUES
        (${LOCAL_DAY('r.created_at')}, r.unit_path),
        (${LOCAL_DAY('r.resolve_due_at')}, r.unit_path)) k (day, unit_path)
      WHERE k.day IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER requests_stats_update ON requests`);
    await q.query(`DROP TRIGGER requests_stats_delete ON requests`);
    await q.query(`DROP TRIGGER requests_stats_insert ON requests`);
    await q.query(`DROP FUNCTION request_stats_touch_row()`);
    await q.query(`DROP FUNCTION request_stats_touch_rows()`);
    await q.query(`DROP INDEX requests_path_open_idx`);
    await q.query(`DROP TABLE request_stats_dirty`);
    await q.query(`DROP TABLE request_stats`);
  }
}
