import { localDateOf } from '../calendar/business-time';
import { Injectable } from '@nestjs/common';
import { currentMilestone } from '../../../workflows';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { CategoriesService } from '../categories/categories.service';
import type { UnitEntity } from '../units/units.entity';
import { UnitsService } from '../units/units.service';
import { UsersService } from '../users/users.service';
import { splitPeriod } from './period-split';
import { CHANNELS } from '../requests/requests.entity';
import { addInto, emptyTally, figuresOf, type Figures, type Tally } from './stats-figures';
import { rank, type RankingSettings, type Standing } from './supervision-ranking';
import {
  type GroupBy,
  type OverdueRow,
  RAW_ONLY,
  SupervisionRepository,
} from './supervision.repository';

const DAY_MS = 86_400_000;
const MAX_DAYS: Record<GroupBy, number> = {
  unit: 3660,
  category: 3660,
  day: 366,
  week: 3660,
  month: 3660,
  channel: 3660,
};

export interface Period {
  from: Date;
  to: Date;
}

type UnitRef = { id: string; code: string; name: string };

/** A row per child unit, per category (its code and name) or per date. */
export type StatsRow = Figures & ({ unit: UnitRef } | { key: string; name?: string });

export interface RankedUnit {
  rank: number | null;
  standing: Standing;
  unit: UnitRef;
  contactLeader: { id: string; displayName: string } | null;
  score: number | null;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  received: number;
  list: 'red' | 'black' | null;
}

/** The ranking settings as sent: without `minReceived` the stored minimum stays. */
export type RankingSettingsInput = Omit<RankingSettings, 'minReceived'> & {
  minReceived?: number;
};

/** '2026-11-01' is midnight in Asia/Shanghai; a full timestamp is taken as written. */
function parseInstant(text: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00+08:00`) : new Date(text);
  if (Number.isNaN(d.getTime()))
    throw domainError('SUPERVISION.INVALID_PERIOD', `${text} is not a date`);
  return d;
}

function startOfMonthShanghai(now: Date): Date {
  return new Date(`${localDateOf(now).slice(0, 8)}01T00:00:00+08:00`);
}

/** Which milestone of its plan a request on the overdue board is late on, if it is. */
function lateMilestoneOf(r: OverdueRow) {
  const current = r.milestoneLateSince ? currentMilestone(r.plan) : null;
  if (!current || !r.plan) return null;
  return {
    number: current.index + 1,
    of: r.plan.milestones.length,
    name: current.milestone.name,
    dueAt: new Date(current.milestone.due).toISOString(),
  };
}

@Injectable()
export class SupervisionService {
  constructor(
    private readonly supervision: SupervisionRepository,
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    private readonly users: UsersService,
  ) {}

  /**
   * The unit to look at: the caller's own by default. One outside their subtree answers the same
   * 404 as an unknown one, so the tree beyond it cannot be probed.
   */
  async scope(actor: Actor, unitId?: string): Promise<UnitEntity> {
    const unit = await this.units.findById(unitId ?? actor.unitId);
    if (!unit || (actor.role !== 'admin' && !unit.path.startsWith(actor.unitPath))) {
      throw domainError('UNIT.NOT_FOUND', 'No such unit');
    }
    return unit;
  }

  period(
    from: string | undefined,
    to: string | undefined,
    groupBy: GroupBy,
    now = new Date(),
  ): Period {
    const p = {
      from: from ? parseInstant(from) : startOfMonthShanghai(now),
      to: to ? parseInstant(to) : now,
    };
    if (p.from >= p.to) throw domainError('SUPERVISION.INVALID_PERIOD', 'from must be before to');
    if ((p.to.getTime() - p.from.getTime()) / DAY_MS > MAX_DAYS[groupBy]) {
      throw domainError(
        'SUPERVISION.PERIOD_TOO_LONG',
        `grouped by ${groupBy}, a period can span at most ${MAX_DAYS[groupBy]} days`,
      );
    }
    return p;
  }

  async overdue(actor: Actor, unitId: string | undefined, page: number, pageSize: number) {
    const unit = await this.scope(actor, unitId);
    const { rows, total } = await this.supervision.overdue(
      unit.path,
      pageSize,
      (page - 1) * pageSize,
    );
    return {
      unit: { id: unit.id, code: unit.code, name: unit.name },
      items: rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        title: r.title,
        state: r.state,
        category: { id: r.categoryId, code: r.categoryCode, name: r.categoryName },
        branch: { id: r.branchId, code: r.branchCode, name: r.branchName },
        owner: { id: r.ownerUnitId, code: r.ownerCode, name: r.ownerName },
        dueAt: r.overdueSince.toISOString(),
        hoursLate: Math.round((r.lateSeconds / 3600) * 10) / 10,
        escalationLevel: r.escalationLevel,
        returnCount: r.returnCount,
        holdCount: r.holdCount,
        lateMilestone: lateMilestoneOf(r),
      })),
      total,
      page,
      pageSize,
    };
  }

  async stats(actor: Actor, unitId: string | undefined, period: Period, groupBy: GroupBy) {
    const unit = await this.scope(actor, unitId);
    await this.supervision.refreshRollup();
    // The rollup has no categories or channels; months serve the groupings a month cannot straddle.
    const split = RAW_ONLY.includes(groupBy)
      ? { months: [], days: [], raw: [[period.from, period.to] as [Date, Date]] }
      : splitPeriod(period.from, period.to, groupBy === 'unit' || groupBy === 'month');
    const tallies = await this.supervision.tallies(
      unit.path,
      split,
      [period.from, period.to],
      groupBy,
    );
    const byKey = new Map<string, Tally>();
    const total = emptyTally();
    for (const row of tallies) {
      byKey.set(row.key, addInto(emptyTally(), row));
      addInto(total, row);
    }
    const rows = await this.label(unit, groupBy, byKey);
    return {
      unit: { id: unit.id, code: unit.code, name: unit.name },
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      groupBy,
      rows,
      totals: figuresOf(total),
    };
  }

  /** Brings the rollup up to date (the worker calls it every few seconds). */
  refreshRollup(): Promise<number> {
    return this.supervision.refreshRollup();
  }

  /** Turns bucket keys into rows: every child unit (even one with nothing), categories, dates. */
  private async label(
    unit: UnitEntity,
    groupBy: GroupBy,
    byKey: Map<string, Tally>,
  ): Promise<StatsRow[]> {
    if (groupBy === 'unit') {
      // Requests count under branches; departments hold none in the tree, so they are not rows.
      const children = (await this.units.list({ parentId: unit.id })).filter(
        (u) => u.type !== 'department',
      );
      const targets = children.length > 0 ? children : [unit];
      return targets.map((u) => ({
        unit: { id: u.id, code: u.code, name: u.name },
        ...figuresOf(byKey.get(children.length > 0 ? u.id : '') ?? emptyTally()),
      }));
    }
    if (groupBy === 'category') {
      const categories = await this.categories.list(true);
      return categories
        .filter((c) => c.active || byKey.has(c.id))
        .map((c) => ({
          key: c.code,
          name: c.name,
          ...figuresOf(byKey.get(c.id) ?? emptyTally()),
        }));
    }
    if (groupBy === 'channel') {
      // Every intake door, in the order of the list, even one nobody came through.
      const keys = [
        ...CHANNELS,
        ...[...byKey.keys()].filter((k) => !CHANNELS.includes(k as never)),
      ];
      return keys.map((key) => ({ key, ...figuresOf(byKey.get(key) ?? emptyTally()) }));
    }
    return [...byKey.keys()]
      .sort()
      .map((key) => ({ key, ...figuresOf(byKey.get(key) ?? emptyTally()) }));
  }

  weights(): Promise<RankingSettings> {
    return this.supervision.weights();
  }

  async setWeights(w: RankingSettingsInput): Promise<RankingSettings> {
    if (Math.abs(w.response + w.resolution + w.satisfaction - 1) > 0.001) {
      throw domainError('SUPERVISION.INVALID_WEIGHTS', 'The three weights must add up to 1');
    }
    const next = {
      response: w.response,
      resolution: w.resolution,
      satisfaction: w.satisfaction,
      minReceived: w.minReceived ?? (await this.weights()).minReceived,
    };
    await this.supervision.setWeights(next);
    return next;
  }

  /** The red/black list (红黑榜) of the child units: the rules are in supervision-ranking.ts. */
  async ranking(actor: Actor, unitId: string | undefined, period: Period) {
    const [stats, w] = await Promise.all([
      this.stats(actor, unitId, period, 'unit'),
      this.weights(),
    ]);
    const rows = stats.rows.map((row) => ({
      ...row,
      unit: (row as { unit: UnitRef }).unit,
      received: row.received ?? 0,
    }));
    const units = await this.units.findByIds(rows.map((r) => r.unit.id));
    const leaderOf = new Map(units.map((u) => [u.id, u.contactLeaderId]));
    const leaders = await this.users.findByIds(
      units.map((u) => u.contactLeaderId).filter((id): id is string => id !== null),
    );
    const names = new Map(leaders.filter((u) => u.active).map((u) => [u.id, u.displayName]));
    const ranked: RankedUnit[] = rank(rows, w, (a, b) =>
      a.unit.code.localeCompare(b.unit.code),
    ).map(({ row, standing, rank: place, score, list }) => {
      const leader = leaderOf.get(row.unit.id);
      const displayName = leader ? names.get(leader) : undefined;
      return {
        rank: place,
        standing,
        unit: row.unit,
        contactLeader: leader && displayName ? { id: leader, displayName } : null,
        score,
        responseRate: row.responseRate,
        resolutionRate: row.resolutionRate,
        satisfactionRate: row.satisfactionRate,
        received: row.received,
        list,
      };
    });
    return { unit: stats.unit, from: stats.from, to: stats.to, weights: w, units: ranked };
  }
}
