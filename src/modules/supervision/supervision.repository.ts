import { Injectable } from '@nestjs/common';
import type { MilestonePlan } from '../../../workflows';
import { DatabaseService } from '../../database/database.service';
import { SqlParams } from '../../database/sql';
import type { PeriodSplit } from './period-split';
import { DEFAULT_MIN_RECEIVED, type RankingSettings } from './supervision-ranking';
import {
  BACKLOG,
  type Base,
  COUNTED,
  MERGED,
  MERGED_WHERE,
  OPEN,
  SUM_NAMES,
  SUMS,
  TALLY_NAMES,
  type Tally,
  WORKING,
} from './stats-figures';

export type GroupBy = 'unit' | 'category' | 'day' | 'week' | 'month' | 'channel';

/** Groupings the rollup cannot serve (it keeps neither categories nor channels). */
export const RAW_ONLY: readonly GroupBy[] = ['category', 'channel'];

export interface OverdueRow {
  id: string;
  reference: string;
  title: string;
  state: string;
  categoryId: string;
  categoryCode: string;
  categoryName: string;
  branchId: string;
  branchCode: string;
  branchName: string;
  ownerUnitId: string;
  ownerCode: string;
  ownerName: string;
  overdueSince: Date;
  lateSeconds: number;
  escalationLevel: number;
  returnCount: number;
  holdCount: number;
  /** Since when the plan's current milestone is late, and the plan (the request's context's). */
  milestoneLateSince: Date | null;
  plan: MilestonePlan | null;
}

const LOCAL = (col: string) => `(${col} AT TIME ZONE 'Asia/Shanghai')`;

/**
 * The subtree under `path` as a range of paths, [path, upper): the paths that start with `path`
 * are exactly those, in the byte order of text_pattern_ops. As an index range it needs no LIKE
 * re-checked on every row.
 */
function subtreeUpper(path: string): string {
  return path.slice(0, -1) + String.fromCharCode(path.charCodeAt(path.length - 1) + 1);
}

/** The column a base is selected and bucketed by. */
const BASE_COLUMN: Record<Base, string> = {
  received: 'r.created_at',
  due: 'r.resolve_due_at',
};

/**
 * The bucket a request falls in. A unit's id is a uuid, 36 characters in a path, so the child's
 * id is the 36 characters after the scope's path of length `depth` ('' at a branch): cheaper
 * than splitting the path at '/'.
 */
function rawKey(groupBy: GroupBy, col: string, depth: number): string {
  switch (groupBy) {
    case 'unit':
      return `substr(r.unit_path, ${depth + 1}, 36)`;
    case 'category':
      return `r.category_id::text`;
    case 'channel':
      return `r.channel`;
    case 'day':
      return `to_char(${LOCAL(col)}, 'YYYY-MM-DD')`;
    case 'week':
      return `to_char(${LOCAL(col)}, 'IYYY-"W"IW')`;
    case 'month':
      return `to_char(${LOCAL(col)}, 'YYYY-MM')`;
  }
}

/** The same buckets over rollup rows, whose period is already a local date. */
function rollupKey(groupBy: GroupBy, depth: number): string {
  switch (groupBy) {
    case 'unit':
      return `substr(s.unit_path, ${depth + 1}, 36)`;
    case 'day':
      return `to_char(s.period::timestamp, 'YYYY-MM-DD')`;
    case 'week':
      return `to_char(s.period::timestamp, 'IYYY-"W"IW')`;
    case 'month':
      return `to_char(s.period::timestamp, 'YYYY-MM')`;
    case 'category':
    case 'channel':
      throw new Error(`the rollup has no ${groupBy}`);
  }
}

/** A SELECT list in TALLY_NAMES order: `given` where a part has the figure, 0 elsewhere. */
function columns(given: Partial<Record<keyof Tally, string>>): string {
  return TALLY_NAMES.map((name) => `${given[name] ?? '0'} AS "${name}"`).join(', ');
}

const sumsOf = (base: Base) =>
  Object.fromEntries(
    SUM_NAMES.filter((n) => SUMS[n].base === base).map((n) => [n, SUMS[n].sql]),
  ) as Partial<Record<keyof Tally, string>>;

/** `col` in any of the half-open `ranges`, each bound a new parameter. */
function inRanges(p: SqlParams, col: string, ranges: readonly [unknown, unknown][]): string {
  return ranges.map(([a, b]) => `(${col} >= ${p.add(a)} AND ${col} < ${p.add(b)})`).join(' OR ');
}

const SUBTREE = (alias: string) => `${alias}.unit_path ~>=~ $1 AND ${alias}.unit_path ~<~ $2`;

@Injectable()
export class SupervisionRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * The tallies of the subtree `path` over a period, one per bucket: whole months and days from
   * the rollup, the edges of the period from the requests, the backlog live.
   */
  tallies(
    path: string,
    split: PeriodSplit,
    whole: [Date, Date],
    groupBy: GroupBy,
  ): Promise<(Partial<Record<keyof Tally, string | number>> & { key: string })[]> {
    const p = new SqlParams();
    p.add(path);
    p.add(subtreeUpper(path));
    const depth = path.length;
    const parts: string[] = [];
    const rolled = Object.fromEntries(SUM_NAMES.map((n) => [n, `s.${SUMS[n].column}`]));
    for (const [grain, ranges] of [
      ['month', split.months],
      ['day', split.days],
    ] as const) {
      if (ranges.length === 0) continue;
      parts.push(`SELECT ${rollupKey(groupBy, depth)} AS key, ${columns(rolled)}
        FROM request_stats s
        WHERE s.grain = '${grain}' AND ${SUBTREE('s')} AND (${inRanges(p, 's.period', ranges)})`);
    }
    if (split.raw.length > 0) {
      for (const base of ['received', 'due'] as const) {
        const col = BASE_COLUMN[base];
        parts.push(`SELECT ${rawKey(groupBy, col, depth)} AS key, ${columns(sumsOf(base))}
          FROM requests r
          WHERE ${SUBTREE('r')} AND ${COUNTED} AND (${inRanges(p, col, split.raw)})
          GROUP BY 1`);
      }
    }
    const received = rawKey(groupBy, BASE_COLUMN.received, depth);
    const inWhole = inRanges(p, 'r.created_at', [whole]);
    parts.push(`SELECT ${received} AS key, ${columns(BACKLOG)}
      FROM requests r
      WHERE ${SUBTREE('r')} AND ${OPEN} AND ${COUNTED} AND (${inWhole})
      GROUP BY 1`);
    parts.push(`SELECT ${received} AS key, ${columns(MERGED)}
      FROM requests r
      WHERE ${SUBTREE('r')} AND ${MERGED_WHERE} AND (${inWhole})
      GROUP BY 1`);
    return this.db.manager().query(
      `SELECT key, ${TALLY_NAMES.map((n) => `sum("${n}") AS "${n}"`).join(', ')}
         FROM (${parts.join('\n UNION ALL \n')}) part
        GROUP BY key`,
      p.values,
    );
  }

  /**
   * Brings the rollup up to date with every write its snapshot sees: takes the noted keys and
   * recomputes their day and month rows from the requests. One refresh at a time, and the lock
   * is taken before the snapshot, so an older snapshot never overwrites a newer one.
   */
  refreshRollup(): Promise<number> {
    const cols = SUM_NAMES.map((n) => SUMS[n].column);
    const spanOf = (base: Base) => `
      SELECT k.grain, k.period, k.unit_path, ${SUM_NAMES.filter((n) => SUMS[n].base === base)
        .map((n) => `${SUMS[n].sql} AS ${SUMS[n].column}`)
        .join(', ')}
        FROM keys k JOIN requests r ON r.unit_path = k.unit_path
         AND ${BASE_COLUMN[base]} >= k.t0 AND ${BASE_COLUMN[base]} < k.t1 AND ${COUNTED}
       GROUP BY 1, 2, 3`;
    return this.db.transaction(async () => {
      const m = this.db.manager();
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('request_stats_refresh'))`);
      const [row] = await m.query<{ n: number }[]>(`
        WITH dirty AS (DELETE FROM request_stats_dirty RETURNING day, unit_path),
        keys AS (
          SELECT grain, period, unit_path,
                 period::timestamp AT TIME ZONE 'Asia/Shanghai' AS t0,
                 (period + CASE grain WHEN 'day' THEN interval '1 day' ELSE interval '1 month' END)
                   AT TIME ZONE 'Asia/Shanghai' AS t1
            FROM (SELECT DISTINCT g.grain, g.period, d.unit_path
                    FROM dirty d, LATERAL (VALUES ('day', d.day),
                                                  ('month', date_trunc('month', d.day)::date))
                                          g (grain, period)) k
        ),
        by_received AS (${spanOf('received')}),
        by_due AS (${spanOf('due')}),
        written AS (
          INSERT INTO request_stats (grain, period, unit_path, ${cols.join(', ')})
          SELECT k.grain, k.period, k.unit_path, ${cols.map((c) => `coalesce(${c}, 0)`).join(', ')}
            FROM keys k LEFT JOIN by_received USING (grain, period, unit_path)
                        LEFT JOIN by_due USING (grain, period, unit_path)
          ON CONFLICT (grain, period, unit_path) DO UPDATE SET
            ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, refreshed_at = now()
          RETURNING 1
        )
        SELECT count(*)::int AS n FROM written`);
      return row.n;
    });
  }

  async overdue(
    path: string,
    limit: number,
    offset: number,
  ): Promise<{ rows: OverdueRow[]; total: number }> {
    // Past the resolve limit, or late on a milestone of the plan it runs on.
    const where = `r.unit_path ~>=~ $1 AND r.unit_path ~<~ $2
      AND (r.overdue_since IS NOT NULL OR r.milestone_late_since IS NOT NULL) AND ${WORKING}`;
    const since = `least(r.overdue_since, r.milestone_late_since)`;
    const subtree = [path, subtreeUpper(path)];
    const rows = await this.db.manager().query<OverdueRow[]>(
      `SELECT r.id, r.reference, r.title, r.state, c.id AS "categoryId", c.code AS "categoryCode",
              c.name AS "categoryName", r.branch_id AS "branchId", b.code AS "branchCode",
              b.name AS "branchName", r.owner_unit_id AS "ownerUnitId", o.code AS "ownerCode",
              o.name AS "ownerName", ${since} AS "overdueSince",
              floor(extract(epoch FROM (now() - ${since})))::int AS "lateSeconds",
              r.escalation_level AS "escalationLevel", r.return_count AS "returnCount",
              r.hold_count AS "holdCount", r.milestone_late_since AS "milestoneLateSince",
              r.context -> 'plan' AS plan
         FROM requests r JOIN units b ON b.id = r.branch_id JOIN units o ON o.id = r.owner_unit_id
              JOIN categories c ON c.id = r.category_id
        WHERE ${where}
        ORDER BY ${since}, r.id
        LIMIT $3 OFFSET $4`,
      [...subtree, limit, offset],
    );
    const [count] = await this.db
      .manager()
      .query<{ n: number }[]>(`SELECT count(*)::int AS n FROM requests r WHERE ${where}`, subtree);
    return { rows, total: count.n };
  }

  async weights(): Promise<RankingSettings> {
    const [row] = await this.db
      .manager()
      .query<{ value: Partial<RankingSettings> }[]>(
        `SELECT value FROM settings WHERE key = 'ranking_weights'`,
      );
    return {
      response: 0.3,
      resolution: 0.4,
      satisfaction: 0.3,
      minReceived: DEFAULT_MIN_RECEIVED,
      ...row?.value,
    };
  }

  async setWeights(w: RankingSettings): Promise<void> {
    await this.db.manager().query(
      `INSERT INTO settings (key, value) VALUES ('ranking_weights', $1)
       ON CONFLICT (key) DO UPDATE SET value = $1, updated_at = now()`,
      [JSON.stringify(w)],
    );
  }
}
