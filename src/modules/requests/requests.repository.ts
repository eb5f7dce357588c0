import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';
import type { RequestState } from '../../../workflows';
import type { RequestScope } from './request-policy';
import { RequestEventEntity } from './request-event.entity';
import { RequestEntity } from './requests.entity';

export interface RequestFilter {
  scope: RequestScope;
  states?: RequestState[];
  branchId?: string;
  categoryId?: string;
  overdue?: boolean;
  page: number;
  pageSize: number;
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
}

/**
 * `ClocksService.isOverdue` in SQL: an open request (not resolved) whose shown clock of a kind (the
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

@Injectable()
export class RequestsRepository {
  constructor(private readonly db: DatabaseService) {}

  private get requests() {
    return this.db.manager().getRepository(RequestEntity);
  }

  private get events() {
    return this.db.manager().getRepository(RequestEventEntity);
  }

  findById(id: string): Promise<RequestEntity | null> {
    return this.requests.findOneBy({ id });
  }

  async insert(request: RequestEntity): Promise<void> {
    await this.requests.insert(request);
  }

  /**
   * Writes the changes only if nobody else has moved the request since it was read.
   * Returns false when the version has moved on (the caller lost the race).
   */
  async updateIfVersion(id: string, version: number, changes: RequestChanges): Promise<boolean> {
    const result = await this.requests
      .createQueryBuilder()
      .update(RequestEntity)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return result.affected === 1;
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

  async setResolveDue(id: string, at: Date): Promise<void> {
    await this.requests.update({ id }, { resolveDueAt: at });
  }

  async appendEvent(event: NewEvent): Promise<void> {
    await this.db.manager().query(
      `INSERT INTO request_events
         (request_id, seq, type, from_state, to_state, actor_id, actor_role, payload, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        event.requestId,
        event.seq,
        event.type,
        event.fromState,
        event.toState,
        event.actorId,
        event.actorRole,
        JSON.stringify(event.payload),
        event.createdAt,
      ],
    );
  }

  timeline(requestId: string): Promise<RequestEventEntity[]> {
    return this.events.find({ where: { requestId }, order: { seq: 'ASC' } });
  }

  async list(filter: RequestFilter): Promise<{ items: RequestEntity[]; total: number }> {
    const q = this.requests.createQueryBuilder('r');
    const s = filter.scope;
    switch (s.kind) {
      case 'all':
        break;
      case 'resident':
        q.andWhere('r.resident_id = :scopeUser', { scopeUser: s.userId });
        break;
      case 'branch':
        q.andWhere('r.branch_id = :scopeUnit', { scopeUnit: s.unitId });
        break;
      case 'town':
        q.andWhere('r.town_id = :scopeUnit', { scopeUnit: s.unitId });
        break;
      case 'assignee':
        q.andWhere('(r.assignee_unit_id = :scopeUnit OR r.assignee_user_id = :scopeUser)', {
          scopeUnit: s.unitId,
          scopeUser: s.userId,
        });
        break;
      case 'subtree':
        q.andWhere('r.unit_path LIKE :scopePath', { scopePath: `${s.path}%` });
        break;
    }
    if (filter.states?.length) q.andWhere('r.state IN (:...states)', { states: filter.states });
    if (filter.branchId) q.andWhere('r.branch_id = :branchId', { branchId: filter.branchId });
    if (filter.categoryId) {
      q.andWhere('r.category_id = :categoryId', { categoryId: filter.categoryId });
    }
    if (filter.overdue !== undefined) q.andWhere(filter.overdue ? OVERDUE : `NOT ${OVERDUE}`);
    const [items, total] = await q
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
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
