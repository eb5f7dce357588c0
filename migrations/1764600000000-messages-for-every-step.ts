import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every step tells people (docs/transitions.md). An in-app notice may carry the resident's
 * one-tap feedback link. Text messages are written here first and sent by their own job after
 * the commit, so a retried job or a failed transaction never sends one twice; the id is made
 * from the step and the recipient, and is also the idempotency key handed to the gateway.
 *
 * Each event also records who held the request after it (branch, owner, assignee), so the
 * people a step concerns are those of that step even when its notices go out after later steps.
 */
export class MessagesForEveryStep1764600000000 implements MigrationInterface {
  name = 'MessagesForEveryStep1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN feedback_url text`);
    await q.query(`
      ALTER TABLE request_events
        ADD COLUMN branch_id uuid,
        ADD COLUMN owner_unit_id uuid,
        ADD COLUMN assignee_unit_id uuid,
        ADD COLUMN assignee_user_id uuid`);
    await q.query(`
      CREATE TABLE outbound_messages (
        id text PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES requests (id),
        user_id uuid REFERENCES users (id),
        kind text NOT NULL,
        phone text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
        attempts int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbound_messages_request_idx ON outbound_messages (request_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbound_messages`);
    await q.query(`ALTER TABLE notifications DROP COLUMN feedback_url`);
    await q.query(`
      ALTER TABLE request_events
        DROP COLUMN branch_id,
        DROP COLUMN owner_unit_id,
        DROP COLUMN assignee_unit_id,
        DROP COLUMN assignee_user_id`);
  }
}
