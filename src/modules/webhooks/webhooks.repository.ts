import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';

export interface WebhookRow {
  id: string;
  unitId: string;
  url: string;
  secret: string;
  active: boolean;
  createdAt: Date;
}

export interface DeadLetterRow {
  id: string;
  webhookId: string;
  deliveryId: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string;
  createdAt: Date;
}

const COLUMNS = `id, unit_id AS "unitId", url, secret, active, created_at AS "createdAt"`;

@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: DatabaseService) {}

  list(): Promise<WebhookRow[]> {
    return this.db
      .manager()
      .query<WebhookRow[]>(`SELECT ${COLUMNS} FROM webhooks ORDER BY created_at`);
  }

  async find(id: string): Promise<WebhookRow | null> {
    const rows = await this.db
      .manager()
      .query<WebhookRow[]>(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async insert(w: { unitId: string; url: string; secret: string }): Promise<WebhookRow> {
    const [row] = await this.db
      .manager()
      .query<WebhookRow[]>(
        `INSERT INTO webhooks (unit_id, url, secret) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [w.unitId, w.url, w.secret],
      );
    return row;
  }

  async deactivate(id: string): Promise<boolean> {
    const rows = await this.db.manager().query<unknown[]>(
      `WITH off AS (UPDATE webhooks SET active = false WHERE id = $1 AND active RETURNING id)
       SELECT id FROM off`,
      [id],
    );
    return rows.length > 0;
  }

  /** Active webhooks of the units above (or at) a request's branch, and of the unit holding it. */
  forRequest(unitPath: string, ownerUnitId: string): Promise<WebhookRow[]> {
    return this.db.manager().query<WebhookRow[]>(
      `SELECT w.id, w.unit_id AS "unitId", w.url, w.secret, w.active, w.created_at AS "createdAt"
         FROM webhooks w JOIN units n ON n.id = w.unit_id
        WHERE w.active AND ($1 LIKE n.path || '%' OR w.unit_id = $2)`,
      [unitPath, ownerUnitId],
    );
  }

  async insertDeadLetter(d: Omit<DeadLetterRow, 'id' | 'createdAt'>): Promise<void> {
    await this.db.manager().query(
      `INSERT INTO webhook_dead_letters (webhook_id, delivery_id, payload, attempts, last_error)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (delivery_id) DO NOTHING`,
      [d.webhookId, d.deliveryId, JSON.stringify(d.payload), d.attempts, d.lastError],
    );
  }

  deadLetters(limit: number): Promise<DeadLetterRow[]> {
    return this.db.manager().query<DeadLetterRow[]>(
      `SELECT id, webhook_id AS "webhookId", delivery_id AS "deliveryId", payload, attempts,
              last_error AS "lastError", created_at AS "createdAt"
         FROM webhook_dead_letters ORDER BY created_at DESC LIMIT $1`,
      [limit],
    );
  }
}
