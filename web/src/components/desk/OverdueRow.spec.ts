import { describe, expect, it } from 'vitest';
import type { OverdueItem } from '../../desk/overdue';
import { latenessOf } from '../../desk/overdue';
import { mountIn } from '../../test/mount';
import OverdueRow from './OverdueRow.vue';

const item = (over: Partial<OverdueItem> = {}): OverdueItem => ({
  id: 'r1',
  reference: 'XX-2026-000042',
  title: '学校门口路灯不亮',
  state: 'assigned',
  category: { id: 'c1', code: 'roads', name: '道路' },
  branch: { id: 'b1', code: 'branch-1', name: '咸一村' },
  owner: { id: 'd1', code: 'dept-roads', name: '交通办' },
  dueAt: '2026-12-01T02:00:00.000Z',
  hoursLate: 26.5,
  escalationLevel: 1,
  returnCount: 0,
  holdCount: 0,
  lateMilestone: null,
  ...over,
});

describe('OverdueRow: how late in words and an icon, who holds it, how far up it went', () => {
  it('says how late in days and hours, not by colour alone', () => {
    const w = mountIn('zh-CN', OverdueRow, { item: item() });
    expect(w.attributes('data-lateness')).toBe('veryLate');
    expect(w.find('.row__late').text()).toBe('严重超时 1天 2小时');
    expect(w.find('.row__late .van-icon-warning').exists()).toBe(true);
    expect(w.text()).toContain('XX-2026-000042');
    expect(w.text()).toContain('学校门口路灯不亮');
  });

  it('names the unit holding it, its branch and the times it was escalated', () => {
    const w = mountIn('zh-CN', OverdueRow, { item: item({ escalationLevel: 2 }) });
    expect(w.find('[data-owner]').text()).toBe('交通办');
    expect(w.text()).toContain('所属村社咸一村');
    expect(w.find('[data-escalated]').text()).toBe('2 次');
    expect(w.text()).toContain('已派单');
  });

  it('a request still at its branch says it was not escalated; returns and holds show when there were some', () => {
    const w = mountIn('en', OverdueRow, {
      item: item({ escalationLevel: 0, hoursLate: 0.5, returnCount: 2, holdCount: 0 }),
    });
    expect(w.find('[data-escalated]').text()).toBe('not escalated');
    expect(w.find('.row__late').text()).toBe('Overdue by 30 min');
    expect(w.text()).toContain('Returned2×');
    expect(w.text()).not.toContain('On hold');
  });

  it('a request late on a milestone of its plan names the milestone', () => {
    const w = mountIn('zh-CN', OverdueRow, {
      item: item({
        lateMilestone: { number: 2, of: 3, name: '财政审批', dueAt: '2026-12-01T02:00:00.000Z' },
      }),
    });
    expect(w.find('[data-late-milestone]').text()).toBe('第 2/3 步 财政审批');
    expect(
      mountIn('zh-CN', OverdueRow, { item: item() }).find('[data-late-milestone]').exists(),
    ).toBe(false);
  });

  it('three steps of lateness: under a day, up to three days, more', () => {
    expect([0.1, 23.9, 24, 71.9, 72, 500].map(latenessOf)).toEqual([
      'late',
      'late',
      'veryLate',
      'veryLate',
      'critical',
      'critical',
    ]);
    const w = mountIn('zh-CN', OverdueRow, { item: item({ hoursLate: 100 }) });
    expect(w.find('.row__late').text()).toBe('特别严重超时 4天 4小时');
    expect(w.find('.van-icon-fire').exists()).toBe(true);
  });
});
