import { Injectable } from '@nestjs/common';
import { In, type SelectQueryBuilder } from 'typeorm';
import { DatabaseService } from '../../database/database.service';
import { SqlParams } from '../../database/sql';
import type { RequestState } from '../../../workflows';
import { CALENDAR_VERSION } from '../calendar/calendar.repository';
import {
  CLOCKS_OF_REQUEST_LOCKED,
  type ClockRow,
  type ClockWrites,
  clocksFromJson,
  clockWritesCtes,
} from '../clocks/clocks.repository';
import type { RequestScope } from './request-policy';
import { RequestEventEntity } from './request-event.entity';
import { type Priority, RequestEntity } from './requests.entity';
import type { RequestSort } from './dto/list-requests.query';

/** What `q` asks for: one reference number, or words. */
export type RequestSearch =
  | { kind: 'reference'; reference: string }
  | {
      kind: 'words';
      text: string;
      /** The towns the caller's scope lies in: every town when it is not tied to some. */
      towns: string[];
    };

/** Within `radiusM` metres of a WGS-84 point. */
export interface NearFilter {
  latitude: number;
  longitude: number;
  radiusM: number;
}

export interface RequestFilter {
  scope: RequestScope;
  /** Branches whose requests the caller reads besides the scope: those they are contact leader of. */
  ledBranchIds?: string[];
  near?: NearFilter;
  states?: RequestState[];
  branchId?: string;
  categoryId?: string;
  overdue?: boolean;
  search?: RequestSearch;
  priority?: Priority;
  onHold?: boolean;
  extensionPending?: boolean;
  planPending?: boolean;
  assigneeUserId?: string;
  escalationLevel?: number;
  sort: RequestSort;
  page: number;
  pageSize: number;
}

/** As the partial index requests_extension_pending_idx states it, so the planner can use it. */
const EXTENSION_PENDING = `jsonb_typeof(r.context -> 'extensionRequested') = 'object'`;
/** As the partial index requests_plan_pending_idx states it. */
const PLAN_PENDING = `jsonb_typeof(r.context -> 'planRequested') = 'object'`;

/**
 * Words, as conditions on request_search `s` (migration 1764500000000): its index holds every
 * bigram of the words under the request's town (each town of the scope is asked), then LIKE over
 * the same normal form keeps the real substrings, with % _ \ as plain characters. Text without a
 * single bigram finds nothing rather than reading every request (validation already refuses it).
 */
function searchConditions(
  search: Extract<RequestSearch, { kind: 'words' }>,
  param: (name: string, value: unknown) => string,
): string[] {
  const normal = `search_normal(${param('searchText', search.text)})`;
  const keys = search.towns.map(
    (town, i) =>
      `search_town_grams(s.town_id, s.doc) @> search_town_grams(${param(`searchTown${i}`, town)}, ${normal})`,
  );
  return [
    keys.length > 0 ? `(${keys.join(' OR ')})` : 'false',
    `s.town_id = ANY(${param('searchTowns', search.towns)})`,
    `cardinality(search_grams(${normal})) > 0`,
    `s.doc LIKE ALL (ARRAY(SELECT search_pattern(w)
       FROM regexp_split_to_table(${normal}, '\\s+') w WHERE w <> ''))`,
  ];
}

/** Filters other than the scope and the search: with any of them the request rows are read. */
const ROW_FILTERS = [
  'states',
  'branchId',
  'categoryId',
  'overdue',
  'priority',
  'onHold',
  'extensionPending',
  'planPending',
  'assigneeUserId',
  'escalationLevel',
  'near',
] as const satisfies readonly (keyof RequestFilter)[];

/**
 * Within a radius, as the GiST index on request_earth (migration 1764800000000) answers it: the
 * cube around the circle from the index, then the great-circle distance.
 */
function nearConditions(near: NearFilter, param: (value: unknown) => string): string {
  const centre = `request_earth(${param(near.latitude)}, ${param(near.longitude)})`;
  const radius = param(near.radiusM);
  return `(r.latitude IS NOT NULL
    AND earth_box(${centre}, ${radius}) @> request_earth(r.latitude, r.longitude)
    AND earth_distance(${centre}, request_earth(r.latitude, r.longitude)) <= ${radius})`;
}

/** A request that may be the same as another, with what its scope and reasons need. */
export interface DuplicateCandidate extends Pick<
  RequestEntity,
  | 'residentId'
  | 'townId'
  | 'assigneeUnitId'
  | 'assigneeUserId'
  | 'unitPath'
  | 'categoryId'
  | 'state'
> {
  id: string;
  reference: string;
  title: string;
  branchId: string;
  createdAt: Date;
  /** null when it has no point, or the request has none */
  distanceM: number | null;
  /** how alike the titles are: shared ÷ all two-character grams */
  titleSimilarity: number;
}

export type RequestChanges = Partial<
  Omit<RequestEntity, 'id' | 'reference' | 'version' | 'createdAt' | 'createdBy'>
>;

export interface NewEvent {
  requestId: string;
  seq: number;
  type: string;
  fromState: RequestState | null;
  toState: RequestState;
  actorId: string | null;
  actorRole: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  /** Who holds the request after the step. */
  holders: EventHolders;
}

export interface EventHolders {
  branchId: string;
  ownerUnitId: string;
  assigneeUnitId: string | null;
  assigneeUserId: string | null;
}

/**
 * `isOverdue` (clock-view.ts) in SQL: an open request (not resolved) whose shown clock of a kind (the
 * live one, else the last that ended, as `ClocksRepository.forRequests` picks it) is a running
 * accept, dispatch or resolve clock past its due time, a breached resolve clock, or a breached
 * dispatch clock while the request is still escalated.
 */
const OVERDUE = `(r.state IN ('submitted', 'accepted', 'escalated', 'assigned') AND (
  r.overdue_since IS NOT NULL OR EXISTS (
  SELECT 1 FROM (
    SELECT DISTINCT ON (c.kind) c.kind, c.status, c.due_at FROM request_clocks c
     WHERE c.request_id = r.id AND c.kind IN ('accept', 'dispatch', 'resolve')
     ORDER BY c.kind, (c.status IN ('running', 'paused')) DESC, c.started_at DESC, c.id DESC
  ) shown
  WHERE (shown.status = 'running' AND shown.due_at <= now())
     OR (shown.status = 'breached'
         AND (shown.kind = 'resolve' OR (shown.kind = 'dispatch' AND r.state = 'escalated'))))))`;

/** A request as a command finds it: with every clock, locked, and the calendar's version. */
export interface CommandSubject {
  request: RequestEntity;
  clocks: ClockRow[];
  calendarVersion: number;
}

const EVENT_COLUMNS = `(request_id, seq, type, from_state, to_state, actor_id, actor_role, payload,
  created_at, branch_id, owner_unit_id, assignee_unit_id, assignee_user_id)`;

function eventValues(e: NewEvent, p: SqlParams): string {
  return (
    `${p.add(e.requestId, 'uuid')}, ${p.add(e.seq, 'int')}, ${p.add(e.type, 'text')}, ` +
    `${p.add(e.fromState, 'text')}, ${p.add(e.toState, 'text')}, ${p.add(e.actorId, 'uuid')}, ` +
    `${p.add(e.actorRole, 'text')}, ${p.add(JSON.stringify(e.payload), 'jsonb')}, ` +
    `${p.add(e.createdAt, 'timestamptz')}, ${p.add(e.holders.branchId, 'uuid')}, ` +
    `${p.add(e.holders.ownerUnitId, 'uuid')}, ${p.add(e.holders.assigneeUnitId, 'uuid')}, ` +
    `${p.add(e.holders.assigneeUserId, 'uuid')}`
  );
}

@Injectable()
export class RequestsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** The request's columns as the entity names them, read once from its metadata. */
  private columnList?: { property: keyof RequestEntity; column: string; json: boolean }[];

  private get columns() {
    this.columnList ??= this.db
      .manager()
      .connection.getMetadata(RequestEntity)
      .columns.map((c) => ({
        property: c.propertyName as keyof RequestEntity,
        column: c.databaseName,
        json: c.type === 'jsonb',
      }));
    return this.columnList;
  }

  private value(c: { json: boolean }, v: unknown): unknown {
    return c.json && v !== null && v !== undefined ? JSON.stringify(v) : v;
  }

  /**
   * One statement instead of three: the request, its clocks (locked: a concurrent command on the
   * same request waits here, then loses on the version check) and the calendar's version.
   */
  async findForCommand(id: string): Promise<CommandSubject | null> {
    const select = this.columns.map((c) => `r.${c.column} AS "${c.property}"`).join(', ');
    const rows = await this.db
      .manager()
      .query<
        (RequestEntity & { subjectClocks: Record<string, unknown>[]; calendarVersion: number })[]
      >(
        `SELECT ${select}, ${CLOCKS_OF_REQUEST_LOCKED('r.id')} AS "subjectClocks",
              ${CALENDAR_VERSION} AS "calendarVersion"
         FROM requests r WHERE r.id = $1`,
        [id],
      );
    if (rows.length === 0) return null;
    const { subjectClocks, calendarVersion, ...request } = rows[0];
    return { request, clocks: clocksFromJson(subjectClocks), calendarVersion };
  }

  /**
   * A command's writes in one statement: the changes if nobody else has moved the request since it
   * was read (version check), and only then its event, clock changes and their jobs.
   * Returns false when the version has moved on (the caller lost the race).
   */
  async commitTransition(
    version: number,
    changes: RequestChanges,
    event: NewEvent,
    clocks: ClockWrites,
  ): Promise<boolean> {
    const p = new SqlParams();
    const set = this.columns
      .filter((c) => c.property in changes)
      .map(
        (c) => `${c.column} = ${p.add(this.value(c, changes[c.property as keyof RequestChanges]))}`,
      );
    const guard = 'EXISTS (SELECT FROM moved)';
    const ctes = [
      `moved AS (UPDATE requests SET ${[...set, 'version = version + 1'].join(', ')}
         WHERE id = ${p.add(event.requestId)} AND version = ${p.add(version)} RETURNING id)`,
      `event AS (INSERT INTO request_events ${EVENT_COLUMNS}
         SELECT ${eventValues(event, p)} FROM moved)`,
      ...clockWritesCtes(clocks, p, guard),
    ];
    const [row] = await this.db
      .manager()
      .query<{ moved: number }[]>(
        `WITH ${ctes.join(', ')} SELECT count(*)::int AS moved FROM moved`,
        p.values,
      );
    return row.moved === 1;
  }

  /** A new request with its first event, clocks and their jobs, in one statement. */
  async insertNew(request: RequestEntity, event: NewEvent, clocks: ClockWrites): Promise<void> {
    const p = new SqlParams();
    const values = this.columns.map((c) => p.add(this.value(c, request[c.property])));
    const ctes = [
      `created AS (INSERT INTO requests (${this.columns.map((c) => c.column).join(', ')})
         VALUES (${values.join(', ')}) RETURNING id)`,
      `event AS (INSERT INTO request_events ${EVENT_COLUMNS}
         SELECT ${eventValues(event, p)} FROM created)`,
      ...clockWritesCtes(clocks, p, 'EXISTS (SELECT FROM created)'),
    ];
    await this.db.manager().query(`WITH ${ctes.join(', ')} SELECT 1`, p.values);
  }

  private get requests() {
    return this.db.manager().getRepository(RequestEntity);
  }

  private get events() {
    return this.db.manager().getRepository(RequestEventEntity);
  }

  findById(id: string): Promise<RequestEntity | null> {
    return this.requests.findOneBy({ id });
  }

  /** Marks the current milestone of the request's plan late from `since`, unless it already is. */
  async markMilestoneLate(id: string, since: Date): Promise<void> {
    await this.db
      .manager()
      .query(
        `UPDATE requests SET milestone_late_since = $2 WHERE id = $1 AND milestone_late_since IS NULL`,
        [id, since],
      );
  }

  /** Marks the request overdue from `since`, unless it already is. */
  async markOverdue(id: string, since: Date): Promise<void> {
    await this.db
      .manager()
      .query(`UPDATE requests SET overdue_since = $2 WHERE id = $1 AND overdue_since IS NULL`, [
        id,
        since,
      ]);
  }

  eventAt(requestId: string, seq: number): Promise<RequestEventEntity | null> {
    return this.events.findOne({ where: { requestId, seq } });
  }

  /** The seq of the request's latest event of a type, or 0. */
  async lastSeqOf(requestId: string, type: string): Promise<number> {
    const [row] = await this.db
      .manager()
      .query<{ seq: number | null }[]>(
        `SELECT max(seq) AS seq FROM request_events WHERE request_id = $1 AND type = $2`,
        [requestId, type],
      );
    return row?.seq ?? 0;
  }

  timeline(requestId: string): Promise<RequestEventEntity[]> {
    return this.events.find({ where: { requestId }, order: { seq: 'ASC' } });
  }

  async list(filter: RequestFilter): Promise<{ items: RequestEntity[]; total: number }> {
    const search = filter.search;
    if (search?.kind === 'words' && this.searchAlone(filter)) {
      return this.listBySearch(filter, search);
    }
    const q = this.requests.createQueryBuilder('r');
    const scope = this.scopeCondition(filter.scope);
    const led = filter.ledBranchIds ?? [];
    if (scope && led.length > 0) {
      q.andWhere(`(${scope.sql} OR r.branch_id IN (:...ledBranchIds))`, {
        ...scope.params,
        ledBranchIds: led,
      });
    } else if (scope) {
      q.andWhere(scope.sql, scope.params);
    }
    if (filter.states?.length) q.andWhere('r.state IN (:...states)', { states: filter.states });
    if (filter.branchId) q.andWhere('r.branch_id = :branchId', { branchId: filter.branchId });
    if (filter.categoryId) {
      q.andWhere('r.category_id = :categoryId', { categoryId: filter.categoryId });
    }
    if (filter.overdue !== undefined) q.andWhere(filter.overdue ? OVERDUE : `NOT ${OVERDUE}`);
    if (filter.priority) q.andWhere('r.priority = :priority', { priority: filter.priority });
    if (filter.onHold !== undefined) q.andWhere('r.on_hold = :onHold', { onHold: filter.onHold });
    if (filter.extensionPending !== undefined) {
      q.andWhere(
        filter.extensionPending ? EXTENSION_PENDING : `(${EXTENSION_PENDING}) IS NOT TRUE`,
      );
    }
    if (filter.planPending !== undefined) {
      q.andWhere(filter.planPending ? PLAN_PENDING : `(${PLAN_PENDING}) IS NOT TRUE`);
    }
    if (filter.assigneeUserId) {
      q.andWhere('r.assignee_user_id = :assigneeUserId', {
        assigneeUserId: filter.assigneeUserId,
      });
    }
    if (filter.escalationLevel !== undefined) {
      q.andWhere('r.escalation_level = :escalationLevel', {
        escalationLevel: filter.escalationLevel,
      });
    }
    if (filter.near) {
      const params: Record<string, unknown> = {};
      const condition = nearConditions(filter.near, (value) => {
        const name = `near${Object.keys(params).length}`;
        params[name] = value;
        return `:${name}`;
      });
      q.andWhere(condition, params);
    }
    if (search?.kind === 'reference') {
      q.andWhere('r.reference = :reference', { reference: search.reference });
    } else if (search) {
      const params: Record<string, unknown> = {};
      const conditions = searchConditions(search, (name, value) => {
        params[name] = value;
        return `:${name}`;
      });
      q.andWhere(
        `r.id IN (SELECT s.request_id FROM request_search s WHERE ${conditions.join(' AND ')})`,
        params,
      );
    }
    this.orderBy(q, filter.sort);
    const [items, total] = await q
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /** The scope as a condition on `r` (none for everything). */
  private scopeCondition(
    s: RequestScope,
  ): { sql: string; params: Record<string, unknown> } | undefined {
    switch (s.kind) {
      case 'all':
        return undefined;
      case 'resident':
        return { sql: 'r.resident_id = :scopeUser', params: { scopeUser: s.userId } };
      case 'branch':
        return { sql: 'r.branch_id = :scopeUnit', params: { scopeUnit: s.unitId } };
      case 'town':
        return { sql: 'r.town_id = :scopeUnit', params: { scopeUnit: s.unitId } };
      case 'assignee':
        return {
          sql: '(r.assignee_unit_id = :scopeUnit OR r.assignee_user_id = :scopeUser)',
          params: { scopeUnit: s.unitId, scopeUser: s.userId },
        };
      case 'subtree':
        return { sql: 'r.unit_path LIKE :scopePath', params: { scopePath: `${s.path}%` } };
    }
  }

  /**
   * Whether request_search alone answers the list: the scope is one it can check (a town, a
   * branch, the towns of a subtree, or everything), no other filter needs the request rows, and the
   * order is by creation time, which never changes.
   */
  private searchAlone(filter: RequestFilter): boolean {
    const scope = filter.scope.kind;
    return (
      (scope === 'all' || scope === 'town' || scope === 'branch' || scope === 'subtree') &&
      !filter.ledBranchIds?.length &&
      ROW_FILTERS.every((f) => filter[f] === undefined) &&
      (filter.sort === 'createdAt' || filter.sort === '-createdAt')
    );
  }

  /**
   * A search in a town, a branch or a subtree, newest (or oldest) first, read from request_search
   * and its index: the count and the page's ids in one pass, then only the page's requests.
   */
  private async listBySearch(
    filter: RequestFilter,
    search: Extract<RequestSearch, { kind: 'words' }>,
  ): Promise<{ items: RequestEntity[]; total: number }> {
    const p = new SqlParams();
    const where = searchConditions(search, (_, value) => p.add(value));
    const s = filter.scope;
    if (s.kind === 'town') where.push(`s.town_id = ${p.add(s.unitId)}`);
    if (s.kind === 'branch') where.push(`s.branch_id = ${p.add(s.unitId)}`);
    const order = filter.sort === 'createdAt' ? 'ASC' : 'DESC';
    const matches = `FROM request_search s WHERE ${where.join(' AND ')}`;
    const rows = await this.db.manager().query<{ id: string; total: number }[]>(
      `SELECT s.request_id AS id, count(*) OVER ()::int AS total ${matches}
        ORDER BY s.created_at ${order}, s.request_id ${order}
        LIMIT ${p.add(filter.pageSize)} OFFSET ${p.add((filter.page - 1) * filter.pageSize)}`,
      p.values,
    );
    if (rows.length === 0) {
      // Past the last page: the count alone.
      const [row] = await this.db
        .manager()
        .query<{ total: number }[]>(
          `SELECT count(*)::int AS total ${matches}`,
          p.values.slice(0, -2),
        );
      return { items: [], total: row.total };
    }
    const found = await this.requests.findBy({ id: In(rows.map((r) => r.id)) });
    const byId = new Map(found.map((r) => [r.id, r]));
    return {
      items: rows.map((r) => byId.get(r.id)).filter((r) => r !== undefined),
      total: rows[0].total,
    };
  }

  /**
   * Newest first unless asked otherwise. By due time, the requests with no running clock come last
   * in both directions (newest first among them), as a work queue wants them.
   */
  private orderBy(q: SelectQueryBuilder<RequestEntity>, sort: RequestSort): void {
    switch (sort) {
      case '-createdAt':
        q.orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC');
        return;
      case 'createdAt':
        q.orderBy('r.created_at', 'ASC').addOrderBy('r.id', 'ASC');
        return;
      case 'dueAt':
      case '-dueAt':
        q.orderBy('r.next_due_at', sort === 'dueAt' ? 'ASC' : 'DESC', 'NULLS LAST')
          .addOrderBy('r.created_at', 'DESC')
          .addOrderBy('r.id', 'DESC');
        return;
    }
  }

  /**
   * Open requests of the same town that may be the same as `r`: of its category within
   * `distanceM` of its point, or of its branch with a title whose grams are at least
   * `similarity` alike (the search's own normal form and grams). Nearest and most alike first.
   */
  async possibleDuplicates(
    r: Pick<
      RequestEntity,
      'id' | 'townId' | 'branchId' | 'categoryId' | 'title' | 'latitude' | 'longitude'
    >,
    distanceM: number,
    similarity: number,
    limit: number,
  ): Promise<DuplicateCandidate[]> {
    const p = new SqlParams();
    const open = `c.state IN ('submitted', 'accepted', 'escalated', 'assigned')`;
    const alike = `gram_similarity(search_grams(search_normal(c.title)),
      search_grams(search_normal(${p.add(r.title, 'text')})))`;
    const sources = [
      `SELECT c.id FROM requests c
        WHERE c.branch_id = ${p.add(r.branchId, 'uuid')} AND ${open}
          AND ${alike} >= ${p.add(similarity, 'float8')}`,
    ];
    let distance = 'NULL::float8';
    if (r.latitude !== null && r.longitude !== null) {
      const here = `request_earth(${p.add(r.latitude, 'float8')}, ${p.add(r.longitude, 'float8')})`;
      const radius = p.add(distanceM, 'float8');
      distance = `earth_distance(${here}, request_earth(c.latitude, c.longitude))`;
      sources.push(`SELECT c.id FROM requests c
        WHERE c.latitude IS NOT NULL AND c.town_id = ${p.add(r.townId, 'uuid')}
          AND c.category_id = ${p.add(r.categoryId, 'uuid')} AND ${open}
          AND earth_box(${here}, ${radius}) @> request_earth(c.latitude, c.longitude)
          AND ${distance} <= ${radius}`);
    }
    return this.db.manager().query<DuplicateCandidate[]>(
      `SELECT c.id, c.reference, c.title, c.state, c.branch_id AS "branchId",
              c.created_at AS "createdAt", c.resident_id AS "residentId", c.town_id AS "townId",
              c.assignee_unit_id AS "assigneeUnitId", c.assignee_user_id AS "assigneeUserId",
              c.unit_path AS "unitPath", c.category_id AS "categoryId",
              ${distance} AS "distanceM", ${alike} AS "titleSimilarity"
         FROM requests c
        WHERE c.id IN (${sources.join(' UNION ')}) AND c.id <> ${p.add(r.id, 'uuid')}
        ORDER BY "distanceM" NULLS LAST, "titleSimilarity" DESC, c.created_at, c.id
        LIMIT ${p.add(limit, 'int')}`,
      p.values,
    );
  }

  /** The originals up the chain from `id` (what it was merged into, and so on), nearest first. */
  async mergeChain(id: string): Promise<string[]> {
    const rows = await this.db.manager().query<{ id: string }[]>(
      `WITH RECURSIVE up (id, depth) AS (
         SELECT merged_into_id, 1 FROM requests WHERE id = $1 AND merged_into_id IS NOT NULL
         UNION ALL
         SELECT r.merged_into_id, up.depth + 1 FROM up JOIN requests r ON r.id = up.id
          WHERE r.merged_into_id IS NOT NULL AND up.depth < 100)
       SELECT id FROM up ORDER BY depth`,
      [id],
    );
    return rows.map((r) => r.id);
  }

  /** Reference numbers by id. */
  async referencesOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .manager()
      .query<{ id: string; reference: string }[]>(
        `SELECT id, reference FROM requests WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    return new Map(rows.map((r) => [r.id, r.reference]));
  }

  /** The duplicates merged into `id` (directly), oldest first. */
  async mergedInto(id: string): Promise<{ id: string; reference: string }[]> {
    return this.db
      .manager()
      .query(
        `SELECT id, reference FROM requests WHERE merged_into_id = $1 ORDER BY created_at, id`,
        [id],
      );
  }

  /** Merges in a town wait for one another until the transaction ends. */
  async lockMerges(townId: string): Promise<void> {
    await this.db
      .manager()
      .query(`SELECT pg_advisory_xact_lock(hashtext('request_merge'), hashtext($1))`, [townId]);
  }

  /** A request by its reference number (XX-2026-000042), without any scope check. */
  findByReference(reference: string): Promise<RequestEntity | null> {
    return this.requests.findOneBy({ reference });
  }

  /** The id of the request with this reference number, if any. */
  async idOfReference(reference: string): Promise<string | null> {
    const rows = await this.db
      .manager()
      .query<{ id: string }[]>(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    return rows[0]?.id ?? null;
  }

  /** The next number of a town's reference sequence for a year. */
  async nextReferenceNumber(townId: string, year: number): Promise<number> {
    const rows = await this.db.manager().query<{ last_value: number }[]>(
      `INSERT INTO reference_counters (town_id, year, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (town_id, year) DO UPDATE SET last_value = reference_counters.last_value + 1
       RETURNING last_value`,
      [townId, year],
    );
    return rows[0].last_value;
  }

  async findIdempotencyKey(
    userId: string,
    key: string,
  ): Promise<{ requestHash: string; requestId: string } | null> {
    const rows = await this.db.manager().query<{ requestHash: string; requestId: string }[]>(
      `SELECT request_hash AS "requestHash", request_id AS "requestId"
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    return rows[0] ?? null;
  }

  /**
   * Claims an idempotency key for a new request. When another transaction holds the same key,
   * Postgres makes this wait for it; then the existing claim is returned instead.
   */
  async claimIdempotencyKey(
    userId: string,
    key: string,
    requestHash: string,
    requestId: string,
  ): Promise<{ claimed: true } | { claimed: false; requestHash: string; requestId: string }> {
    const inserted = await this.db.manager().query<unknown[]>(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, request_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, requestHash, requestId],
    );
    if (inserted.length === 1) return { claimed: true };
    const rows = await this.db
      .manager()
      .query<{ request_hash: string; request_id: string }[]>(
        `SELECT request_hash, request_id FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
        [userId, key],
      );
    return { claimed: false, requestHash: rows[0].request_hash, requestId: rows[0].request_id };
  }
}
