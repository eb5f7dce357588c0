import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';
import type { SqlParams } from '../../database/sql';

export interface OutboxRow {
  id: string;
  queue: string;
  job_name: string;
  job_id: string;
  payload: Record<string, unknown>;
  run_at: Date;
}

export type NewOutboxRow = Omit<OutboxRow, 'id'>;

/**
 * The INSERT of outbox rows as a data-modifying CTE for a larger statement; `guard` is a condition
 * (on another CTE) that must hold for the rows to be written.
 */
export function outboxInsertCte(name: string, rows: NewOutboxRow[], p: SqlParams, guard: string) {
  const values = rows.map(
    (r) =>
      `(${p.add(r.queue, 'text')}, ${p.add(r.job_name, 'text')}, ${p.add(r.job_id, 'text')}, ` +
      `${p.add(JSON.stringify(r.payload), 'jsonb')}, ${p.add(r.run_at, 'timestamptz')})`,
  );
  return `${name} AS (INSERT INTO outbox (queue, job_name, job_id, payload, run_at)
    SELECT v.* FROM (VALUES ${values.join(', ')}) v WHERE ${guard})`;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(row: NewOutboxRow): Promise<void> {
    await this.db
      .manager()
      .query(
        `INSERT INTO outbox (queue, job_name, job_id, payload, run_at) VALUES ($1, $2, $3, $4, $5)`,
        [row.queue, row.job_name, row.job_id, JSON.stringify(row.payload), row.run_at],
      );
  }

  /**
   * Takes up to `limit` rows out of the outbox inside the caller's transaction; other relays
   * skip locked rows, and if handing them to Redis fails the rollback puts them back.
   */
  takeBatch(limit: number): Promise<OutboxRow[]> {
    return this.db.manager().query<OutboxRow[]>(
      // Wrapped in a SELECT: TypeORM answers a bare DELETE … RETURNING with [rows, count].
      `WITH taken AS (
         DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, queue, job_name, job_id, payload, run_at)
       SELECT * FROM taken ORDER BY id`,
      [limit],
    );
  }

  async backlog(): Promise<number> {
    const [row] = await this.db
      .manager()
      .query<{ n: string }[]>(`SELECT count(*) AS n FROM outbox`);
    return Number(row.n);
  }
}
