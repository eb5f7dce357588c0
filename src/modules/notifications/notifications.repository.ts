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
  feedbackUrl: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface Recipient {
  id: string;
  phone: string | null;
}

/** One recorded step of a request, with who held the request after it. */
export interface StepRow {
  seq: number;
  type: string;
  fromState: string | null;
  toState: string;
  actorId: string | null;
  actorRole: string;
  payload: Record<string, unknown>;
  branchId: string | null;
  ownerUnitId: string | null;
  assigneeUnitId: string | null;
  assigneeUserId: string | null;
}

/** A duplicate merged into a request: its resident follows the original. */
export interface Follower {
  id: string;
  reference: string;
  title: string;
  residentId: string | null;
  residentPhone: string | null;
}

export interface NewMessage {
  id: string;
  requestId: string;
  userId: string | null;
  kind: string;
  phone: string;
  body: string;
}

export interface MessageRow extends NewMessage {
  status: 'pending' | 'sent';
  reference: string;
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
      feedbackUrl?: string | null;
    },
  ): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.manager().query<{ user_id: string }[]>(
      `INSERT INTO notifications
         (user_id, request_id, kind, title_zh, body_zh, title_en, body_en, dedupe_key, feedback_url)
       SELECT u, $2, $3, $4, $5, $6, $7, $8, $9 FROM unnest($1::uuid[]) AS u
       ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING user_id`,
      [
        userIds,
        n.requestId,
        n.kind,
        n.titleZh,
        n.bodyZh,
        n.titleEn,
        n.bodyEn,
        n.dedupeKey,
        n.feedbackUrl ?? null,
      ],
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
              title_en AS "titleEn", body_en AS "bodyEn", feedback_url AS "feedbackUrl",
              created_at AS "createdAt", read_at AS "readAt"
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

  /** The branch's contact leader, while active and still at a unit above the branch. */
  contactLeaderOf(branchId: string): Promise<Recipient[]> {
    return this.db.manager().query<Recipient[]>(
      `SELECT u.id, u.phone FROM units b JOIN users u ON u.id = b.contact_leader_id
         JOIN units n ON n.id = u.unit_id
        WHERE b.id = $1 AND u.active AND starts_with(b.path, n.path)`,
      [branchId],
    );
  }

  /** The duplicates merged into a request, and into those, with how to reach their residents. */
  followersOf(requestId: string): Promise<Follower[]> {
    return this.db.manager().query<Follower[]>(
      `WITH RECURSIVE f (id, depth) AS (
         SELECT id, 1 FROM requests WHERE merged_into_id = $1
         UNION ALL
         SELECT r.id, f.depth + 1 FROM f JOIN requests r ON r.merged_into_id = f.id
          WHERE f.depth < 100)
       SELECT r.id, r.reference, r.title, r.resident_id AS "residentId",
              r.resident_phone AS "residentPhone"
         FROM f JOIN requests r ON r.id = f.id ORDER BY r.created_at, r.id`,
      [requestId],
    );
  }

  step(requestId: string, seq: number): Promise<StepRow | undefined> {
    return this.db
      .manager()
      .query<StepRow[]>(
        `SELECT seq, type, from_state AS "fromState", to_state AS "toState", actor_id AS "actorId",
                actor_role AS "actorRole", payload, branch_id AS "branchId",
                owner_unit_id AS "ownerUnitId", assignee_unit_id AS "assigneeUnitId",
                assignee_user_id AS "assigneeUserId"
           FROM request_events WHERE request_id = $1 AND seq = $2`,
        [requestId, seq],
      )
      .then((rows) => rows[0]);
  }

  /** Who last marked the request resolved before `seq`, if anyone did. */
  async lastResolver(requestId: string, seq: number): Promise<string | null> {
    const [row] = await this.db.manager().query<{ actor_id: string | null }[]>(
      `SELECT actor_id FROM request_events
        WHERE request_id = $1 AND type = 'RESOLVE' AND seq < $2 ORDER BY seq DESC LIMIT 1`,
      [requestId, seq],
    );
    return row?.actor_id ?? null;
  }

  /** The due time of the request's latest clock of a kind (a feedback window, a warned limit). */
  async clockDueAt(requestId: string, kind: string): Promise<Date | null> {
    const [row] = await this.db.manager().query<{ due_at: Date | null }[]>(
      `SELECT due_at FROM request_clocks WHERE request_id = $1 AND kind = $2
        ORDER BY started_at DESC, id DESC LIMIT 1`,
      [requestId, kind],
    );
    return row?.due_at ?? null;
  }

  /** Writes text messages once per id; answers the ids that were new. */
  async insertMessages(messages: NewMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const rows = await this.db.manager().query<{ id: string }[]>(
      `INSERT INTO outbound_messages (id, request_id, user_id, kind, phone, body)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        messages.map((m) => m.id),
        messages.map((m) => m.requestId),
        messages.map((m) => m.userId),
        messages.map((m) => m.kind),
        messages.map((m) => m.phone),
        messages.map((m) => m.body),
      ],
    );
    return rows.map((r) => r.id);
  }

  async message(id: string): Promise<MessageRow | undefined> {
    const [row] = await this.db.manager().query<MessageRow[]>(
      `SELECT m.id, m.request_id AS "requestId", m.user_id AS "userId", m.kind, m.phone, m.body,
              m.status, r.reference
         FROM outbound_messages m JOIN requests r ON r.id = m.request_id WHERE m.id = $1`,
      [id],
    );
    return row;
  }

  async markMessageAttempt(id: string, sent: boolean): Promise<void> {
    await this.db.manager().query(
      `UPDATE outbound_messages SET attempts = attempts + 1,
              status = CASE WHEN $2 THEN 'sent' ELSE status END,
              sent_at = CASE WHEN $2 THEN now() ELSE sent_at END
        WHERE id = $1`,
      [id, sent],
    );
  }

  /** Display names of units and users, for message texts. */
  async names(unitIds: string[], userIds: string[]): Promise<Map<string, string>> {
    const rows = await this.db.manager().query<{ id: string; name: string }[]>(
      `SELECT id, name FROM units WHERE id = ANY($1::uuid[])
        UNION ALL SELECT id, display_name FROM users WHERE id = ANY($2::uuid[])`,
      [unitIds, userIds],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
