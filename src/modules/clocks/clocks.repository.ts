import { Injectable } from '@nestjs/common';
import type { ClockKind } from '../../../workflows';
import { type NewOutboxRow, outboxInsertCte } from '../../common/queue/outbox.repository';
import { DatabaseService } from '../../database/database.service';
import { SqlParams } from '../../database/sql';
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

/** What a command or a deadline step does to clocks, written in one statement. */
export interface ClockWrites {
  inserts: ClockRow[];
  /** Full rows by id: a clock changed twice keeps its last version, as two UPDATEs would. */
  updates: Map<string, ClockRow>;
  jobs: NewOutboxRow[];
}

export const noClockWrites = (): ClockWrites => ({ inserts: [], updates: new Map(), jobs: [] });

/**
 * Every clock of a request as a JSON array, locked: a command waits here for a concurrent one on
 * the same request and then loses on the version check. For a larger statement, see `clocksFromJson`.
 * Locked in id order: in index order, a clock updated by the winner can move behind another, and
 * two waiting commands would each hold one and wait for the other (deadlock).
 */
export const CLOCKS_OF_REQUEST_LOCKED = (requestIdParam: string) =>
  `(SELECT coalesce(json_agg(c), '[]') FROM (
     SELECT ${COLUMNS} FROM request_clocks WHERE request_id = ${requestIdParam}
      ORDER BY id FOR UPDATE) c)`;

const DATE_FIELDS = [
  'anchorAt',
  'dueAt',
  'nextFireAt',
  'startedAt',
  'stoppedAt',
  'breachedAt',
] as const;

export function clocksFromJson(rows: Record<string, unknown>[]): ClockRow[] {
  return rows.map((r) => {
    for (const f of DATE_FIELDS) if (typeof r[f] === 'string') r[f] = new Date(r[f]);
    return r as unknown as ClockRow;
  });
}

/**
 * The clock inserts, updates and their jobs as data-modifying CTEs, written only if `guard` holds.
 * The inserts read the updates' result, so the updates are done first: a step that stops a clock
 * and starts one of the same kind (the next milestone) never has two live ones of a kind at once,
 * which `request_clocks_live_idx` forbids.
 */
export function clockWritesCtes(w: ClockWrites, p: SqlParams, guard: string): string[] {
  const ctes: string[] = [];
  if (w.updates.size > 0) {
    const values = [...w.updates.values()].map(
      (c) =>
        `(${p.add(c.id, 'uuid')}, ${p.add(c.status, 'text')}, ${p.add(Math.round(c.remainingMs), 'bigint')}, ` +
        `${p.add(c.anchorAt, 'timestamptz')}, ${p.add(c.dueAt, 'timestamptz')}, ` +
        `${p.add(c.warningsSent, 'int')}, ${p.add(c.nextFireAt, 'timestamptz')}, ` +
        `${p.add(c.nextAction, 'text')}, ${p.add(c.generation, 'int')}, ` +
        `${p.add(c.stoppedAt, 'timestamptz')}, ${p.add(c.breachedAt, 'timestamptz')})`,
    );
    ctes.push(`clocks_changed AS (UPDATE request_clocks c SET status = v.status,
        remaining_ms = v.remaining_ms, anchor_at = v.anchor_at, due_at = v.due_at,
        warnings_sent = v.warnings_sent, next_fire_at = v.next_fire_at, next_action = v.next_action,
        generation = v.generation, stopped_at = v.stopped_at, breached_at = v.breached_at
      FROM (VALUES ${values.join(', ')}) v (id, status, remaining_ms, anchor_at, due_at,
        warnings_sent, next_fire_at, next_action, generation, stopped_at, breached_at)
      WHERE c.id = v.id AND ${guard} RETURNING c.id)`);
  }
  if (w.inserts.length > 0) {
    const values = w.inserts.map(
      (c) =>
        `(${p.add(c.id, 'uuid')}, ${p.add(c.requestId, 'uuid')}, ${p.add(c.kind, 'text')}, ` +
        `${p.add(c.mode, 'text')}, ${p.add(c.status, 'text')}, ${p.add(Math.round(c.budgetMs), 'bigint')}, ` +
        `${p.add(Math.round(c.remainingMs), 'bigint')}, ${p.add(c.anchorAt, 'timestamptz')}, ` +
        `${p.add(c.dueAt, 'timestamptz')}, ${p.add(c.warnAt, 'float8[]')}, ${p.add(c.warningsSent, 'int')}, ` +
        `${p.add(c.holdWarnings, 'boolean')}, ${p.add(c.nextFireAt, 'timestamptz')}, ` +
        `${p.add(c.nextAction, 'text')}, ${p.add(c.generation, 'int')}, ${p.add(c.escalationLevel, 'int')}, ` +
        `${p.add(c.startedAt, 'timestamptz')}, ${p.add(c.stoppedAt, 'timestamptz')}, ` +
        `${p.add(c.breachedAt, 'timestamptz')})`,
    );
    const afterUpdates =
      w.updates.size > 0 ? ' AND (SELECT count(*) FROM clocks_changed) >= 0' : '';
    ctes.push(`clocks_started AS (INSERT INTO request_clocks (id, request_id, kind, mode, status,
        budget_ms, remaining_ms, anchor_at, due_at, warn_at, warnings_sent, hold_warnings,
        next_fire_at, next_action, generation, escalation_level, started_at, stopped_at, breached_at)
      SELECT v.* FROM (VALUES ${values.join(', ')}) v WHERE ${guard}${afterUpdates})`);
  }
  if (w.jobs.length > 0) ctes.push(outboxInsertCte('clock_jobs', w.jobs, p, guard));
  return ctes;
}

@Injectable()
export class ClocksRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Writes clock changes and their jobs in one statement (outside a command's own statement). */
  async write(w: ClockWrites): Promise<void> {
    const p = new SqlParams();
    const ctes = clockWritesCtes(w, p, 'true');
    if (ctes.length === 0) return;
    await this.db.manager().query(`WITH ${ctes.join(', ')} SELECT 1`, p.values);
  }

  /** Every clock of a request, locked (see `CLOCKS_OF_REQUEST_LOCKED`). */
  async ofRequestLocked(requestId: string): Promise<ClockRow[]> {
    const [row] = await this.db
      .manager()
      .query<{ clocks: Record<string, unknown>[] }[]>(
        `SELECT ${CLOCKS_OF_REQUEST_LOCKED('$1')} AS clocks`,
        [requestId],
      );
    return clocksFromJson(row.clocks);
  }

  /**
   * A clock, locked together with every other clock of its request in id order: the order a
   * command locks them in, so a deadline firing during a command waits for it instead of
   * deadlocking with it.
   */
  async lock(id: string): Promise<ClockRow | null> {
    const rows = await this.db.manager().query<ClockRow[]>(
      `SELECT ${COLUMNS} FROM request_clocks
        WHERE request_id = (SELECT request_id FROM request_clocks WHERE id = $1)
        ORDER BY id FOR UPDATE`,
      [id],
    );
    return rows.find((c) => c.id === id) ?? null;
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

  /**
   * Running working-time clocks, locked: a calendar edit moves them all in one transaction. In id
   * order, like commands and deadlines, so none of them can deadlock with another.
   */
  runningWorkingClocks(): Promise<ClockRow[]> {
    return this.db.manager().query<ClockRow[]>(
      `SELECT ${COLUMNS} FROM request_clocks WHERE status = 'running' AND mode = 'working'
        ORDER BY id FOR UPDATE`,
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
