import type { RequestState } from '../../../workflows';
import type { Column, ColumnKind, Table } from '../../common/http/export';
import { localDateOf, localMinuteOf } from '../calendar/business-time';
import {
  FIGURE_TITLES_ZH,
  type FigureName,
  FIGURES,
  RATE_DOCS,
  type RateName,
} from './stats-figures';
import type { Standing } from './supervision-ranking';
import type { SupervisionService } from './supervision.service';

type Overdue = Awaited<ReturnType<SupervisionService['overdue']>>;
type Stats = Awaited<ReturnType<SupervisionService['stats']>>;
type Ranking = Awaited<ReturnType<SupervisionService['ranking']>>;

/** State names as the meeting reads them, not codes. */
export const STATE_NAMES_ZH: Record<RequestState, string> = {
  submitted: '待受理',
  accepted: '办理中',
  escalated: '待派单',
  assigned: '已派单',
  resolved: '待确认',
  closed: '已完成',
  rejected: '未受理',
  withdrawn: '已撤回',
};

const LIST_NAMES: Record<'red' | 'black', string> = { red: '红榜 red', black: '黑榜 black' };
const STANDING_NAMES: Record<Exclude<Standing, 'ranked'>, string> = {
  notEnoughData: '数据不足 not enough data',
  noScore: '无得分 no score',
};

const GROUP_TITLES: Record<Stats['groupBy'], string> = {
  unit: '单位 unit',
  category: '类别 category',
  day: '日期 day',
  week: '周 week',
  month: '月份 month',
  channel: '渠道 channel',
};

const fileDate = (iso: string) => localDateOf(new Date(iso));
/** The last day a half-open period includes (its end is the next day's midnight). */
const fileLastDate = (iso: string) => localDateOf(new Date(new Date(iso).getTime() - 1));

/** '2026-11-01 至 2026-11-30': the local dates of a half-open period, its last day included. */
export function periodText(from: string, to: string): string {
  return `${fileDate(from)} 至 ${fileLastDate(to)}（北京时间 Beijing time）`;
}

const FIGURE_NAMES = [...Object.keys(FIGURES), ...Object.keys(RATE_DOCS)] as (
  FigureName | RateName
)[];

function figureKind(name: FigureName | RateName): ColumnKind {
  if (name in RATE_DOCS) return 'percent';
  return name.startsWith('avgHours') ? 'hours' : 'number';
}

const FIGURE_COLUMNS: Column[] = FIGURE_NAMES.map((name) => ({
  title: `${FIGURE_TITLES_ZH[name]} ${name}`,
  kind: figureKind(name),
}));

export function overdueTable(o: Overdue, now = new Date()): Table {
  return {
    name: `overdue-${o.unit.code}-${localDateOf(now)}`,
    title: `${o.unit.name} 超时清单 overdue requests · 截至 as of ${localMinuteOf(now)}（北京时间 Beijing time）`,
    columns: [
      { title: '编号 reference' },
      { title: '标题 title' },
      { title: '类别 category' },
      { title: '支部 branch' },
      { title: '状态 state' },
      { title: '责任单位 owner' },
      { title: '时限 due', kind: 'datetime' },
      { title: '超时小时 hours late', kind: 'hours' },
      { title: '升级层级 escalation level', kind: 'number' },
      { title: '退回次数 returns', kind: 'number' },
      { title: '暂停次数 holds', kind: 'number' },
      { title: '滞后节点 late milestone' },
    ],
    rows: o.items.map((i) => [
      i.reference,
      i.title,
      i.category.name,
      i.branch.name,
      STATE_NAMES_ZH[i.state as RequestState] ?? i.state,
      i.owner.name,
      new Date(i.dueAt),
      i.hoursLate,
      i.escalationLevel,
      i.returnCount,
      i.holdCount,
      i.lateMilestone
        ? `${i.lateMilestone.number}/${i.lateMilestone.of} ${i.lateMilestone.name}`
        : '',
    ]),
  };
}

export function statsTable(s: Stats): Table {
  const label = (row: Stats['rows'][number]) =>
    'unit' in row ? row.unit.name : (row.name ?? row.key);
  return {
    name: `stats-${s.unit.code}-${s.groupBy}-${fileDate(s.from)}-${fileLastDate(s.to)}`,
    title: `${s.unit.name} 督查统计 supervision figures · ${periodText(s.from, s.to)}`,
    columns: [{ title: GROUP_TITLES[s.groupBy] }, ...FIGURE_COLUMNS],
    rows: [
      ...s.rows.map((row) => [label(row), ...FIGURE_NAMES.map((c) => row[c])]),
      ['合计 total', ...FIGURE_NAMES.map((c) => s.totals[c])],
    ],
  };
}

export function rankingTable(r: Ranking): Table {
  return {
    name: `ranking-${r.unit.code}-${fileDate(r.from)}-${fileLastDate(r.to)}`,
    title: `${r.unit.name} 红黑榜 red/black list · ${periodText(r.from, r.to)} · 权重 weights ${r.weights.response}/${r.weights.resolution}/${r.weights.satisfaction} · 最少诉求 minimum ${r.weights.minReceived}`,
    columns: [
      { title: '名次 rank', kind: 'number' },
      { title: '单位 unit' },
      { title: '联系领导 contact leader' },
      { title: '收到诉求 received', kind: 'number' },
      { title: `${FIGURE_TITLES_ZH.responseRate} responseRate`, kind: 'percent' },
      { title: `${FIGURE_TITLES_ZH.resolutionRate} resolutionRate`, kind: 'percent' },
      { title: `${FIGURE_TITLES_ZH.satisfactionRate} satisfactionRate`, kind: 'percent' },
      { title: '得分 score', kind: 'percent' },
      { title: '榜单 list' },
    ],
    rows: r.units.map((u) => [
      u.rank,
      u.unit.name,
      u.contactLeader?.displayName ?? null,
      u.received,
      u.responseRate,
      u.resolutionRate,
      u.satisfactionRate,
      u.score,
      u.standing === 'ranked' ? (u.list ? LIST_NAMES[u.list] : null) : STANDING_NAMES[u.standing],
    ]),
  };
}
