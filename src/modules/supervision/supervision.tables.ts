import { localMinuteOf } from '../calendar/business-time';
import type { Table } from '../../common/http/export';
import type { SupervisionService } from './supervision.service';

type Overdue = Awaited<ReturnType<SupervisionService['overdue']>>;
type Stats = Awaited<ReturnType<SupervisionService['stats']>>;

const FIGURE_COLUMNS = [
  'received',
  'accepted',
  'acceptedOnTime',
  'rejected',
  'returned',
  'resolvedAtBranch',
  'escalated',
  'resolved',
  'resolvedOnTime',
  'closed',
  'satisfied',
  'dissatisfied',
  'noFeedback',
  'reopened',
  'overdueNow',
  'backlog0to7',
  'backlog8to30',
  'backlog31to90',
  'backlogOver90',
  'dueInPeriod',
  'solvedOfDue',
  'avgHoursToAccept',
  'avgHoursToResolve',
  'responseRate',
  'onTimeRate',
  'resolutionRate',
  'satisfactionRate',
  'resolvedOnSpot',
  'mergedDuplicates',
] as const;

export function overdueTable(o: Overdue): Table {
  return {
    name: `overdue-${o.unit.code}`,
    columns: [
      '编号 reference',
      '标题 title',
      '支部 branch',
      '状态 state',
      '责任单位 owner',
      '时限 due (北京时间)',
      '超时小时 hours late',
      '升级层级 level',
      '退回 returns',
      '暂停 holds',
    ],
    rows: o.items.map((i) => [
      i.reference,
      i.title,
      i.branch.name,
      i.state,
      i.owner.name,
      localMinuteOf(new Date(i.dueAt)),
      i.hoursLate,
      i.escalationLevel,
      i.returnCount,
      i.holdCount,
    ]),
  };
}

export function statsTable(s: Stats): Table {
  const label = (row: Stats['rows'][number]) =>
    'unit' in row ? [row.unit.code, row.unit.name] : [row.key, row.key];
  return {
    name: `stats-${s.unit.code}-${s.groupBy}`,
    columns: [s.groupBy, 'name', ...FIGURE_COLUMNS],
    rows: [
      ...s.rows.map((row) => [...label(row), ...FIGURE_COLUMNS.map((c) => row[c])]),
      ['total', '合计', ...FIGURE_COLUMNS.map((c) => s.totals[c])],
    ],
  };
}
