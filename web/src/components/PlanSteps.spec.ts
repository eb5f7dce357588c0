import { describe, expect, it } from 'vitest';
import type { Plan, PlanProposal, TimelineEntry } from '../api/client';
import { mountIn } from '../test/mount';
import PlanSteps from './PlanSteps.vue';

const milestone = (
  number: number,
  name: string,
  dueAt: string,
  status: 'done' | 'current' | 'upcoming',
  late = false,
) => ({ number, name, dueAt, status, late });

/** A road project two milestones in: the first done on time, the second late, the rest to come. */
const PLAN: Plan = {
  done: 2,
  endsAt: '2026-09-30T09:30:00Z',
  milestones: [
    milestone(1, '立项', '2026-03-31T09:30:00Z', 'done'),
    milestone(2, '初步设计评审', '2026-04-30T09:30:00Z', 'done'),
    milestone(3, '概算审批', '2026-05-29T09:30:00Z', 'current', true),
    milestone(4, '竣工', '2026-09-30T09:30:00Z', 'upcoming'),
  ],
};
const done = (n: number, at: string) =>
  ({
    seq: n,
    type: 'MILESTONE_DONE',
    payload: { milestone: n, note: '完成' },
    at,
    attachments: [],
  }) as unknown as TimelineEntry;
const ENTRIES = [done(1, '2026-03-20T02:00:00Z'), done(2, '2026-05-06T02:00:00Z')];

const steps = (w: ReturnType<typeof mountIn>) =>
  w.findAll('[data-milestone]').map((s) => ({
    mark: s.attributes('data-mark'),
    text: s.find('.plan__mark').text(),
    icon: s
      .find('.plan__mark .van-icon')
      .classes()
      .find((c) => c.startsWith('van-icon-')),
  }));

describe('PlanSteps: a plan as steps with due dates, done and late said in words and icons', () => {
  it('shows each milestone in order with its due date and where it stands', () => {
    const w = mountIn('zh-CN', PlanSteps, { plan: PLAN, pending: null, entries: ENTRIES });
    expect(w.find('h2').text()).toBe('办理计划');
    expect(w.find('.plan__summary').text()).toBe('已完成 2 / 4 个节点，计划 2026/09/30 全部完成');
    expect(w.findAll('.plan__name').map((n) => n.text())).toEqual([
      '1. 立项',
      '2. 初步设计评审',
      '3. 概算审批',
      '4. 竣工',
    ]);
    expect(w.findAll('.plan__due').map((d) => d.text())).toEqual([
      '截止 2026/03/31',
      '截止 2026/04/30',
      '截止 2026/05/29',
      '截止 2026/09/30',
    ]);
    expect(steps(w)).toEqual([
      { mark: 'doneOnTime', text: '按时完成（2026/03/20 10:00）', icon: 'van-icon-checked' },
      { mark: 'doneLate', text: '逾期完成（2026/05/06 10:00）', icon: 'van-icon-checked' },
      { mark: 'late', text: '已逾期，尚未完成', icon: 'van-icon-warning' },
      { mark: 'upcoming', text: '未开始', icon: 'van-icon-circle' },
    ]);
    expect(w.find('[data-plan-pending]').exists()).toBe(false);
    w.unmount();
  });

  it('a milestone under way on time says so, in English too', () => {
    const plan: Plan = {
      done: 0,
      endsAt: '2026-09-30T09:30:00Z',
      milestones: [
        milestone(1, 'Project approval', '2026-03-31T09:30:00Z', 'current'),
        milestone(2, 'Completion', '2026-09-30T09:30:00Z', 'upcoming'),
      ],
    };
    const w = mountIn('en', PlanSteps, { plan, pending: null, entries: [] });
    expect(steps(w).map((s) => s.text)).toEqual(['Under way', 'Not started']);
    expect(w.find('.plan__summary').text()).toBe(
      '0 of 2 milestones done; the plan ends on 09/30/2026',
    );
    w.unmount();
  });

  it('shows a plan awaiting a decision with its reason and dates', () => {
    const pending: PlanProposal = {
      reason: '断头路需立项、设计、招投标',
      milestones: [
        { name: '立项', dueAt: '2026-03-31T09:30:00Z' },
        { name: '竣工', dueAt: '2026-09-30T09:30:00Z' },
      ],
    };
    const w = mountIn('zh-CN', PlanSteps, { plan: null, pending, entries: [] });
    const box = w.find('[data-plan-pending]');
    expect(box.text()).toContain('计划（2 个节点）已提交，等待督办审批');
    expect(box.text()).toContain('理由：断头路需立项、设计、招投标');
    expect(box.findAll('li').map((li) => li.text())).toEqual([
      '1. 立项截止 2026/03/31',
      '2. 竣工截止 2026/09/30',
    ]);
    expect(w.find('[data-milestone]').exists()).toBe(false);
    w.unmount();
  });

  it('shows nothing when there is no plan', () => {
    const w = mountIn('zh-CN', PlanSteps, { plan: null, pending: null, entries: [] });
    expect(w.html()).toBe('<!--v-if-->');
    w.unmount();
  });
});
