import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';
import { BASE_COLUMN, type Base, figuresSelect, WORKING } from './stats-figures';

export type GroupBy = 'unit' | 'category' | 'day' | 'week' | 'month';

export interface RankingWeights {
  response: number;
  resolution: number;
  satisfaction: number;
}

export interface OverdueRow {
  id: string;
  reference: string;
  title: string;
  state: string;
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

/**
 * The bucket a request falls in: $5 is the length of the scope unit's path. A unit's id is a
 * uuid, 36 characters in a path, so the child's id is the 36 characters after the scope's path
 * ('' at a branch): cheaper over a million rows than splitting the path at '/'.
 */
function keyOf(groupBy: GroupBy, col: string): string {
  switch (groupBy) {
    case 'unit':
      return `substr(r.unit_path, $5 + 1, 36)`;
    case 'category':
      return `r.category_id::text`;
    case 'day':
      return `to_char(${LOCAL(col)}, 'YYYY-MM-DD')`;
    case 'week':
      return `to_char(date_trunc('week', ${LOCAL(col)}), 'IYYY-"W"IW')`;
    case 'month':
      return `to_char(${LOCAL(col)}, 'YYYY-MM')`;
  }
}

@Injectable()
export class SupervisionRepository {
  constructor(private readonly db: DatabaseService) {}

  /** One aggregate over the subtree `path`; grouped when `groupBy` is given. */
  aggregate(
    base: Base,
    path: string,
    from: Date,
    to: Date,
    groupBy: GroupBy | null,
  ): Promise<(Record<string, unknown> & { key?: string })[]> {
    const col = BASE_COLUMN[base];
    const key = groupBy ? `${keyOf(groupBy, col)} AS key,` : '';
    const params: unknown[] = [path, from, to, subtreeUpper(path)];
    if (groupBy === 'unit') params.push(path.length);
    return this.db.manager().query(
      `SELECT ${key} ${figuresSelect(base)}
         FROM requests r
        WHERE r.unit_path ~>=~ $1 AND r.unit_path ~<~ $4 AND ${col} >= $2 AND ${col} < $3
        ${groupBy ? 'GROUP BY 1' : ''}`,
      params,
    );
  }

  async overdue(
    path: string,
    limit: number,
    offset: number,
  ): Promise<{ rows: OverdueRow[]; total: number }> {
    const where = `r.unit_path ~>=~ $1 AND r.unit_path ~<~ $2 AND r.overdue_since IS NOT NULL
      AND ${WORKING}`;
    const subtree = [path, subtreeUpper(path)];
    const rows = await this.db.manager().query<OverdueRow[]>(
      `SELECT r.id, r.reference, r.title, r.state, r.branch_id AS "branchId", b.code AS "branchCode",
              b.name AS "branchName", r.owner_unit_id AS "ownerUnitId", o.code AS "ownerCode",
              o.name AS "ownerName", r.overdue_since AS "overdueSince",
              floor(extract(epoch FROM (now() - r.overdue_since)))::int AS "lateSeconds",
              r.escalation_level AS "escalationLevel", r.return_count AS "returnCount",
              r.hold_count AS "holdCount"
         FROM requests r JOIN units b ON b.id = r.branch_id JOIN units o ON o.id = r.owner_unit_id
        WHERE ${where}
        ORDER BY r.overdue_since, r.id
        LIMIT $3 OFFSET $4`,
      [...subtree, limit, offset],
    );
    const [count] = await this.db
      .manager()
      .query<{ n: number }[]>(`SELECT count(*)::int AS n FROM requests r WHERE ${where}`, subtree);
    return { rows, total: count.n };
  }

  async weights(): Promise<RankingWeights> {
    const [row] = await this.db
      .manager()
      .query<{ value: RankingWeights }[]>(
        `SELECT value FROM settings WHERE key = 'ranking_weights'`,
      );
    return row?.value ?? { response: 0.3, resolution: 0.4, satisfaction: 0.3 };
  }

  async setWeights(w: RankingWeights): Promise<void> {
    await this.db.manager().query(
      `INSERT INTO settings (key, value) VALUES ('ranking_weights', $1)
       ON CONFLICT (key) DO UPDATE SET value = $1, updated_at = now()`,
      [JSON.stringify(w)],
    );
  }
}
