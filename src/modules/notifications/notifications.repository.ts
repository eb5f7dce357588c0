import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';

export interface NotificationRow {
  id: string;
  requestId: string | null;
  kind: string;
  titleZh: string;
  bodyZh: string;
  titleEn: string;
  bodyEn: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface Recipient {
  id: string;
  phone: string | null;
}

@Injectable()
export class NotificationsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Inserts once per user and dedupe key; returns the users who had not been told yet. */
  async insertMany(
    userIds: string[],
    n: {
      requestId: string;
      kind: string;
      titleZh: string;
      bodyZh: string;
      titleEn: string;
      bodyEn: string;
      dedupeKey: string;
    },
  ): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.manager().query<{ user_id: string }[]>(
      `INSERT INTO notifications (user_id, request_id, kind, title_zh, body_zh, title_en, body_en, dedupe_key)
       SELECT u, $2, $3, $4, $5, $6, $7, $8 FROM unnest($1::uuid[]) AS u
       ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING user_id`,
      [userIds, n.requestId, n.kind, n.titleZh, n.bodyZh, n.titleEn, n.bodyEn, n.dedupeKey],
    );
    return rows.map((r) => r.user_id);
  }

  async list(
    userId: string,
    unreadOnly: boolean,
    page: number,
    pageSize: number,
  ): Promise<{ items: NotificationRow[]; total: number; unread: number }> {
    const where = `user_id = $1 ${unreadOnly ? 'AND read_at IS NULL' : ''}`;
    const items = await this.db.manager().query<NotificationRow[]>(
      `SELECT id, request_id AS "requestId", kind, title_zh AS "titleZh", body_zh AS "bodyZh",
              title_en AS "titleEn", body_en AS "bodyEn", created_at AS "createdAt", read_at AS "readAt"
         FROM notifications WHERE ${where} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [userId, pageSize, (page - 1) * pageSize],
    );
    const [counts] = await this.db.manager().query<{ total: string; unread: string }[]>(
      `SELECT count(*) FILTER (WHERE ${unreadOnly ? 'read_at IS NULL' : 'true'}) AS total,
              count(*) FILTER (WHERE read_at IS NULL) AS unread
         FROM notifications WHERE user_id = $1`,
      [userId],
    );
    return { items, total: Number(counts.total), unread: Number(counts.unread) };
  }

  async markRead(userId: string, id: string | null): Promise<number> {
    const rows = await this.db.manager().query<unknown[]>(
      `WITH marked AS (
         UPDATE notifications SET read_at = now()
          WHERE user_id = $1 AND read_at IS NULL ${id ? 'AND id = $2' : ''} RETURNING id)
       SELECT id FROM marked`,
      id ? [userId, id] : [userId],
    );
    return rows.length;
  }

  async exists(userId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .manager()
      .query<unknown[]>(`SELECT 1 FROM notifications WHERE user_id = $1 AND id = $2`, [userId, id]);
    return rows.length > 0;
  }

  /** Active users of a unit with one of the roles. */
  usersOf(unitId: string, roles: string[]): Promise<Recipient[]> {
    return this.db
      .manager()
      .query<Recipient[]>(
        `SELECT id, phone FROM users WHERE unit_id = $1 AND role = ANY($2) AND active`,
        [unitId, roles],
      );
  }

  usersByIds(ids: string[]): Promise<Recipient[]> {
    return this.db
      .manager()
      .query<Recipient[]>(`SELECT id, phone FROM users WHERE id = ANY($1) AND active`, [ids]);
  }

  /** Supervisors whose subtree contains the unit path. */
  supervisorsOver(unitPath: string): Promise<Recipient[]> {
    return this.db.manager().query<Recipient[]>(
      `SELECT u.id, u.phone FROM users u JOIN units n ON n.id = u.unit_id
        WHERE u.role = 'supervisor' AND u.active AND $1 LIKE n.path || '%'`,
      [unitPath],
    );
  }
}
