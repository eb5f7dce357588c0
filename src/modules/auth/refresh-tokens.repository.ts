import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';

/** A refresh token's row with what deciding on it needs from its user. */
export interface RefreshTokenRow {
  id: string;
  userId: string;
  familyId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  userActive: boolean;
  tokensValidAfter: Date | null;
}

@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(token: {
    userId: string;
    familyId: string;
    tokenHash: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.manager().query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [token.userId, token.familyId, token.tokenHash, token.createdAt, token.expiresAt],
    );
  }

  /** The token's row, locked until the transaction ends, so two uses of one token queue. */
  async findForUpdate(tokenHash: string): Promise<RefreshTokenRow | null> {
    const rows = await this.db.manager().query<RefreshTokenRow[]>(
      `SELECT t.id, t.user_id AS "userId", t.family_id AS "familyId", t.created_at AS "createdAt",
              t.expires_at AS "expiresAt", t.used_at AS "usedAt", t.revoked_at AS "revokedAt",
              u.active AS "userActive", u.tokens_valid_after AS "tokensValidAfter"
         FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1
          FOR UPDATE OF t`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.db.manager().query(`UPDATE refresh_tokens SET used_at = $2 WHERE id = $1`, [id, at]);
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.db
      .manager()
      .query(
        `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
        [familyId, at],
      );
  }

  /** The family of a token, whatever its state; null for a token never issued. */
  async familyOf(tokenHash: string): Promise<string | null> {
    const rows = await this.db
      .manager()
      .query<{ familyId: string }[]>(
        `SELECT family_id AS "familyId" FROM refresh_tokens WHERE token_hash = $1`,
        [tokenHash],
      );
    return rows[0]?.familyId ?? null;
  }

  /** Drops a user's expired tokens: nothing can be done with them any more. */
  async deleteExpired(userId: string, now: Date): Promise<void> {
    await this.db
      .manager()
      .query(`DELETE FROM refresh_tokens WHERE user_id = $1 AND expires_at <= $2`, [userId, now]);
  }
}
