import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Photos as evidence. An upload is a row of its own, the uploader's alone until an event names
 * it; the event links it to the request in the same transaction, after which the row is as
 * unchangeable as the event. The bytes live in the file store under their SHA-256 (the photo as
 * stored, stripped of its metadata, and its thumbnail), never in the database.
 *
 * A category may require evidence to resolve; roads and sanitation do from the start.
 */
export class Evidence1764700000000 implements MigrationInterface {
  name = 'Evidence1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE categories ADD COLUMN evidence_required boolean NOT NULL DEFAULT false`,
    );
    await q.query(
      `UPDATE categories SET evidence_required = true WHERE code IN ('roads', 'sanitation')`,
    );
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        uploaded_by uuid NOT NULL REFERENCES users (id),
        -- what was sent (image/heic) and what is kept (image/jpeg: a HEIC photo is converted)
        source_type text NOT NULL
          CHECK (source_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/heic')),
        media_type text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
        byte_size int NOT NULL CHECK (byte_size > 0),
        width int NOT NULL CHECK (width > 0),
        height int NOT NULL CHECK (height > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        thumbnail_sha256 text NOT NULL CHECK (thumbnail_sha256 ~ '^[0-9a-f]{64}$'),
        thumbnail_size int NOT NULL CHECK (thumbnail_size > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        request_id uuid REFERENCES requests (id),
        -- the event (request_id, seq) it came with; no foreign key, which would keep the
        -- append-only trigger of request_events from being the one that refuses a TRUNCATE
        event_seq int,
        role text CHECK (role IN ('before', 'after', 'comment')),
        -- where the event named it: photos show in the order they were given
        position int,
        -- linked with a staff note: never shown to the resident
        internal boolean NOT NULL DEFAULT false,
        linked_at timestamptz,
        CHECK ((request_id IS NULL) = (event_seq IS NULL)),
        CHECK ((request_id IS NULL) = (role IS NULL)),
        CHECK ((request_id IS NULL) = (position IS NULL)),
        CHECK ((request_id IS NULL) = (linked_at IS NULL))
      )`);
    await q.query(
      `CREATE INDEX attachments_request_idx ON attachments (request_id, event_seq)
         WHERE request_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX attachments_pending_idx ON attachments (uploaded_by, created_at)
         WHERE request_id IS NULL`,
    );
    // Evidence, like the events it belongs to: once linked, neither moved nor removed.
    await q.query(`
      CREATE FUNCTION attachments_linked_are_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.request_id IS NOT NULL THEN
          RAISE EXCEPTION 'a linked attachment is evidence: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`
      CREATE TRIGGER attachments_linked_are_fixed BEFORE UPDATE OR DELETE ON attachments
        FOR EACH ROW EXECUTE FUNCTION attachments_linked_are_fixed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachments`);
    await q.query(`DROP FUNCTION attachments_linked_are_fixed()`);
    await q.query(`ALTER TABLE categories DROP COLUMN evidence_required`);
  }
}
