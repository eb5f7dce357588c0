import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revocable sessions. `users.tokens_valid_after`: access and refresh tokens issued at or before it
 * are refused (a password, role or unit change and a deactivation set it). `refresh_tokens`: one
 * row per opaque refresh token, stored as its SHA-256; a sign-in starts a family, each refresh uses
 * one token up and adds the next, and presenting a used one revokes the whole family.
 */
export class TokenRevocation1764400000000 implements MigrationInterface {
  name = 'TokenRevocation1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN tokens_valid_after timestamptz`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`ALTER TABLE users DROP COLUMN tokens_valid_after`);
  }
}
