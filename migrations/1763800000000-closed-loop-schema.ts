import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Units, users, categories, requests, their append-only events and idempotency keys. */
export class ClosedLoopSchema1763800000000 implements MigrationInterface {
  name = 'ClosedLoopSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE units (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        type text NOT NULL CHECK (type IN ('county', 'town', 'branch', 'department')),
        parent_id uuid REFERENCES units (id),
        -- materialised path '/<root id>/…/<own id>/': a subtree is one prefix scan
        path text NOT NULL UNIQUE,
        ref_prefix text UNIQUE CHECK (ref_prefix ~ '^[A-Z]{2,6}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((type = 'county') = (parent_id IS NULL)),
        CHECK (type = 'town' OR ref_prefix IS NULL)
      )`);
    await q.query(`CREATE INDEX units_path_prefix_idx ON units (path text_pattern_ops)`);
    await q.query(`CREATE INDEX units_parent_idx ON units (parent_id)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL
          CHECK (role IN ('resident', 'secretary', 'dispatcher', 'assignee', 'supervisor', 'admin')),
        unit_id uuid NOT NULL REFERENCES units (id),
        phone text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX users_unit_idx ON users (unit_id)`);
    await q.query(`CREATE INDEX users_phone_idx ON users (phone) WHERE phone IS NOT NULL`);

    await q.query(`
      CREATE TABLE categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
        name text NOT NULL,
        name_en text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE reference_counters (
        town_id uuid NOT NULL REFERENCES units (id),
        year int NOT NULL,
        last_value int NOT NULL,
        PRIMARY KEY (town_id, year)
      )`);

    await q.query(`
      CREATE TABLE requests (
        id uuid PRIMARY KEY,
        reference text NOT NULL UNIQUE,
        title text NOT NULL,
        description text NOT NULL,
        category_id uuid NOT NULL REFERENCES categories (id),
        priority text NOT NULL CHECK (priority IN ('urgent', 'normal', 'complex')),
        channel text NOT NULL,
        state text NOT NULL CHECK (state IN ('submitted', 'accepted', 'escalated', 'assigned',
          'resolved', 'closed', 'rejected', 'withdrawn')),
        version int NOT NULL CHECK (version >= 1),
        machine_version int NOT NULL,
        context jsonb NOT NULL,
        resident_id uuid REFERENCES users (id),
        resident_name text NOT NULL,
        resident_phone text,
        created_by uuid NOT NULL REFERENCES users (id),
        branch_id uuid NOT NULL REFERENCES units (id),
        town_id uuid NOT NULL REFERENCES units (id),
        unit_path text NOT NULL,
        owner_unit_id uuid NOT NULL REFERENCES units (id),
        assignee_unit_id uuid REFERENCES units (id),
        assignee_user_id uuid REFERENCES users (id),
        escalation_level int NOT NULL DEFAULT 0,
        reopen_count int NOT NULL DEFAULT 0,
        return_count int NOT NULL DEFAULT 0,
        hold_count int NOT NULL DEFAULT 0,
        on_hold boolean NOT NULL DEFAULT false,
        location text,
        resolution text,
        outcome text,
        rating smallint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX requests_branch_state_idx ON requests (branch_id, state)`);
    await q.query(`CREATE INDEX requests_town_state_idx ON requests (town_id, state)`);
    await q.query(`CREATE INDEX requests_resident_idx ON requests (resident_id)`);
    await q.query(`CREATE INDEX requests_assignee_unit_idx ON requests (assignee_unit_id)`);
    await q.query(`CREATE INDEX requests_unit_path_idx ON requests (unit_path text_pattern_ops)`);
    await q.query(`CREATE INDEX requests_created_idx ON requests (created_at DESC, id)`);

    await q.query(`
      CREATE TABLE request_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES requests (id),
        seq int NOT NULL,
        type text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        actor_id uuid REFERENCES users (id),
        actor_role text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (request_id, seq)
      )`);
    // History is evidence: once written, an event can be neither changed nor removed.
    await q.query(`
      CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'request_events is append-only: % refused', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER request_events_no_update_delete BEFORE UPDATE OR DELETE ON request_events
      FOR EACH ROW EXECUTE FUNCTION request_events_append_only()`);
    await q.query(`
      CREATE TRIGGER request_events_no_truncate BEFORE TRUNCATE ON request_events
      FOR EACH STATEMENT EXECUTE FUNCTION request_events_append_only()`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id),
        key text NOT NULL,
        request_hash text NOT NULL,
        -- deferred: the key is claimed first, so a concurrent retry waits on it, then the request
        request_id uuid NOT NULL REFERENCES requests (id) DEFERRABLE INITIALLY DEFERRED,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE request_events`);
    await q.query(`DROP FUNCTION request_events_append_only()`);
    await q.query(`DROP TABLE requests`);
    await q.query(`DROP TABLE reference_counters`);
    await q.query(`DROP TABLE categories`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE units`);
  }
}
