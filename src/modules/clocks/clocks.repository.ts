import { Injectable } from '@nestjs/common';
import type { ClockKind } from '../../../workflows';
import { DatabaseService } from '../../database/database.service';
import type { ClockMode } from './clock-schedule';

export type ClockStatus = 'running' | 'paused' | 'stopped' | 'breached';

export interface ClockRow {
  id: string;
  requestId: string;
  kind: ClockKind;
  mode: ClockMode;
  status: ClockStatus;
  budgetMs: number;
  remainingMs: number;
  anchorAt: Date | null;
  dueAt: Date | null;
  warnAt: number[];
  warningsSent: number;
  holdWarnings: boolean;
  nextFireAt: Date | null;
  nextAction: 'warn' | 'due' | null;
  generation: number;
  escalationLevel: number;
  startedAt: Date;
  stoppedAt: Date | null;
  breachedAt: Date | null;
}

const COLUMNS = `id, request_id AS "requestId", kind, mode, status, budget_ms::float8 AS "budgetMs",
  remaining_ms::float8 AS "remainingMs", anchor_at AS "anchorAt", due_at AS "dueAt",
  warn_at AS "warnAt", warnings_sent AS "warningsSent", hold_warnings AS "holdWarnings",
  next_fire_at AS "nextFireAt", next_action AS "nextAction", generation,
  escalation_level AS "escalationLevel", started_at AS "startedAt", stopped_at AS "stoppedAt",
  breached_at AS "breachedAt"`;

@Injectable()
export class ClocksRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(c: Omit<ClockRow, 'id'>): Promise<ClockRow> {
    const [row] = await this.db.manager().query<ClockRow[]>(
      `INSERT INTO request_clocks (request_id, kind, mode, status, budget_ms, remaining_ms, anchor_at,
         due_at, warn_at, warnings_sent, hold_warnings, next_fire_at, next_action, generation,
         escalation_level, started_at, stopped_at, breached_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       RETURNING ${COLUMNS}`,
      [
        c.requestId,
        c.kind,
        c.mode,
        c.status,
        Math.round(c.budgetMs),
        Math.round(c.remainingMs),
        c.anchorAt,
        c.dueAt,
        c.warnAt,
        c.warningsSent,
        c.holdWarnings,
        c.nextFireAt,
        c.nextAction,
        c.generation,
        c.escalationLevel,
        c.startedAt,
        c.stoppedAt,
        c.breachedAt,
      ],
    );
    return row;
  }

  async update(c: ClockRow): Promise<void> {
    await this.db.manager().query(
      `UPDATE request_clocks SET status = $2, remaining_ms = $3, anchor_at = $4, due_at = $5,
         warnings_sent = $6, next_fire_at = $7, next_action = $8, generation = $9,
         stopped_at = $10, breached_at = $11
       WHERE id = $1`,
      [
        c.id,
        c.status,
        Math.round(c.remainingMs),
        c.anchorAt,
        c.dueAt,
        c.warningsSent,
        c.nextFireAt,
        c.nextAction,
        c.generation,
        c.stoppedAt,
        c.breachedAt,
      ],
    );
  }

  /** Running and paused clocks of a request, locked for the transaction that changes them. */
  live(requestId: string): Promise<ClockRow[]> {
    return this.db.manager().query<ClockRow[]>(
      `SELECT ${COLUMNS} FROM request_clocks
        WHERE request_id = $1 AND status IN ('running', 'paused') FOR UPDATE`,
      [requestId],
    );
  }

  async latest(requestId: string, kind: ClockKind): Promise<ClockRow | null> {
    const rows = await this.db.manager().query<ClockRow[]>(
      `SELECT ${COLUMNS} FROM request_clocks WHERE request_id = $1 AND kind = $2
        ORDER BY started_at DESC, id DESC LIMIT 1`,
      [requestId, kind],
    );
    return rows[0] ?? null;
  }

  async lock(id: string): Promise<ClockRow | null> {
    const rows = await this.db
      .manager()
      .query<ClockRow[]>(`SELECT ${COLUMNS} FROM request_clocks WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** The clocks each request shows: the live ones and, per kind, the last one that ended. */
  forRequests(requestIds: string[]): Promise<ClockRow[]> {
    if (requestIds.length === 0) return Promise.resolve([]);
    return this.db.manager().query<ClockRow[]>(
      `SELECT DISTINCT ON (request_id, kind) ${COLUMNS} FROM request_clocks
        WHERE request_id = ANY($1)
        ORDER BY request_id, kind, (status IN ('running', 'paused')) DESC, started_at DESC, id DESC`,
      [requestIds],
    );
  }

  /** Running working-time clocks, locked: a calendar edit moves them all in one transaction. */
  runningWorkingClocks(): Promise<ClockRow[]> {
    return this.db
      .manager()
      .query<ClockRow[]>(
        `SELECT ${COLUMNS} FROM request_clocks WHERE status = 'running' AND mode = 'working' FOR UPDATE`,
      );
  }

  /** Clocks whose next step is due: what the queue should already have fired. */
  due(
    before: Date,
    limit: number,
  ): Promise<Pick<ClockRow, 'id' | 'generation' | 'warningsSent' | 'nextAction'>[]> {
    return this.db.manager().query(
      `SELECT id, generation, warnings_sent AS "warningsSent", next_action AS "nextAction"
         FROM request_clocks WHERE status = 'running' AND next_fire_at <= $1
        ORDER BY next_fire_at LIMIT $2`,
      [before, limit],
    );
  }

  /** Clocks whose next step falls in a window, to check that Redis still holds their job. */
  upcoming(
    from: Date,
    to: Date,
    limit: number,
  ): Promise<Pick<ClockRow, 'id' | 'generation' | 'warningsSent' | 'nextAction' | 'nextFireAt'>[]> {
    return this.db.manager().query(
      `SELECT id, generation, warnings_sent AS "warningsSent", next_action AS "nextAction",
              next_fire_at AS "nextFireAt"
         FROM request_clocks WHERE status = 'running' AND next_fire_at > $1 AND next_fire_at <= $2
        ORDER BY next_fire_at LIMIT $3`,
      [from, to, limit],
    );
  }
}
