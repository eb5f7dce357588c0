import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadline policies, the working calendar, clocks, the outbox, notifications and webhooks. */
export class ClocksAndNotifications1763900000000 implements MigrationInterface {
  name = 'ClocksAndNotifications1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_policies (
        category_id uuid NOT NULL REFERENCES categories (id),
        priority text NOT NULL CHECK (priority IN ('urgent', 'normal', 'complex')),
        clock text NOT NULL CHECK (clock IN ('24x7', 'working')),
        accept text NOT NULL,
        dispatch text NOT NULL,
        resolve text NOT NULL,
        feedback text NOT NULL,
        warn_at double precision[] NOT NULL DEFAULT '{0.5,0.8}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (category_id, priority)
      )`);

    // One calendar for the whole installation (DESIGN section 4); the row is the singleton.
    await q.query(`
      CREATE TABLE working_calendar (
        id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        working_hours jsonb NOT NULL,
        weekend_days int[] NOT NULL,
        holidays date[] NOT NULL DEFAULT '{}',
        makeup_workdays date[] NOT NULL DEFAULT '{}',
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO working_calendar (working_hours, weekend_days)
      VALUES ('[{"start":"08:30","end":"12:00"},{"start":"13:30","end":"17:30"}]', '{6,7}')`);

    // The policy a request was created under, so a later policy change does not move its clocks.
    await q.query(`ALTER TABLE requests ADD COLUMN sla jsonb`);

    await q.query(`
      CREATE TABLE request_clocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES requests (id),
        kind text NOT NULL CHECK (kind IN ('accept', 'dispatch', 'resolve', 'feedback')),
        mode text NOT NULL CHECK (mode IN ('24x7', 'working')),
        status text NOT NULL CHECK (status IN ('running', 'paused', 'stopped', 'breached')),
        budget_ms bigint NOT NULL,
        -- time left at anchor_at, in the clock's own time (working ms for working clocks)
        remaining_ms bigint NOT NULL,
        anchor_at timestamptz,
        due_at timestamptz,
        warn_at double precision[] NOT NULL,
        warnings_sent int NOT NULL DEFAULT 0,
        hold_warnings boolean NOT NULL,
        next_fire_at timestamptz,
        next_action text CHECK (next_action IN ('warn', 'due')),
        -- bumped whenever the schedule moves, so jobs for an older schedule are recognised as stale
        generation int NOT NULL DEFAULT 1,
        escalation_level int NOT NULL,
        started_at timestamptz NOT NULL,
        stopped_at timestamptz,
        breached_at timestamptz
      )`);
    await q.query(`
      CREATE UNIQUE INDEX request_clocks_live_idx ON request_clocks (request_id, kind)
      WHERE status IN ('running', 'paused')`);
    await q.query(`CREATE INDEX request_clocks_request_idx ON request_clocks (request_id)`);
    await q.query(`
      CREATE INDEX request_clocks_next_fire_idx ON request_clocks (next_fire_at)
      WHERE status = 'running'`);

    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue text NOT NULL,
        job_name text NOT NULL,
        job_id text NOT NULL,
        payload jsonb NOT NULL,
        run_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        request_id uuid REFERENCES requests (id),
        kind text NOT NULL,
        title_zh text NOT NULL,
        body_zh text NOT NULL,
        title_en text NOT NULL,
        body_en text NOT NULL,
        dedupe_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        UNIQUE (user_id, dedupe_key)
      )`);
    await q.query(
      `CREATE INDEX notifications_inbox_idx ON notifications (user_id, created_at DESC)`,
    );

    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES units (id),
        url text NOT NULL,
        secret text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhooks_unit_idx ON webhooks (unit_id) WHERE active`);
    await q.query(`
      CREATE TABLE webhook_dead_letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks (id),
        delivery_id text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        attempts int NOT NULL,
        last_error text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_dead_letters`);
    await q.query(`DROP TABLE webhooks`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE request_clocks`);
    await q.query(`ALTER TABLE requests DROP COLUMN sla`);
    await q.query(`DROP TABLE working_calendar`);
    await q.query(`DROP TABLE sla_policies`);
  }
}
