import { describe, expect, it } from 'vitest';
import type { Clock } from '../api/client';
import { currentDeadline } from '../domain/deadline';
import { mountIn } from '../test/mount';
import DeadlineBadge from './DeadlineBadge.vue';

const NOW = Date.parse('2026-12-01T10:00:00+08:00');
const H = 3_600_000;

function clock(
  kind: Clock['kind'],
  status: Clock['status'],
  startedOffset: number,
  dueOffset: number | null,
): Clock {
  return {
    kind,
    status,
    startedAt: new Date(NOW + startedOffset).toISOString(),
    dueAt: dueOffset === null ? null : new Date(NOW + dueOffset).toISOString(),
    remainingMs: status === 'paused' ? 5 * H : null,
    breachedAt: status === 'breached' ? new Date(NOW + (dueOffset ?? 0)).toISOString() : null,
  };
}

describe('DeadlineBadge: time left from the request’s clocks, told by words and an icon, not colour alone', () => {
  it('plenty of time: green, a clock icon, and the time left in words', () => {
    const w = mountIn('zh-CN', DeadlineBadge, {
      clocks: [clock('accept', 'running', -H, 3 * H)],
      now: NOW,
    });
    expect(w.attributes('data-level')).toBe('ok');
    expect(w.classes()).toContain('deadline--ok');
    expect(w.find('.van-icon-clock-o').exists()).toBe(true);
    expect(w.text()).toBe('受理时限 · 剩余 3小时');
  });

  it('under a fifth of the limit left: amber, another icon, and "due soon"', () => {
    const w = mountIn('en', DeadlineBadge, {
      clocks: [clock('resolve', 'running', -20 * H, 90 * 60_000)],
      now: NOW,
    });
    expect(w.attributes('data-level')).toBe('soon');
    expect(w.find('.van-icon-warning-o').exists()).toBe(true);
    expect(w.text()).toBe('Time to resolve · Due soon: 1 h 30 min left');
  });

  it('past the limit: red, a warning icon, and how long overdue', () => {
    const w = mountIn('zh-CN', DeadlineBadge, {
      clocks: [
        clock('accept', 'breached', -30 * H, -26 * H),
        clock('resolve', 'running', -H, 10 * H),
      ],
      now: NOW,
    });
    expect(w.attributes('data-level')).toBe('overdue');
    expect(w.find('.van-icon-warning').exists()).toBe(true);
    expect(w.text()).toBe('受理时限 · 已超时 1天 2小时');
  });

  it('a running clock whose due time passed is overdue before the worker marks it', () => {
    const w = mountIn('en', DeadlineBadge, {
      clocks: [clock('dispatch', 'running', -2 * H, -30_000)],
      now: NOW,
    });
    expect(w.attributes('data-level')).toBe('overdue');
    expect(w.text()).toBe('Time to assign · Overdue by under a minute');
  });

  it('a paused clock says so', () => {
    const w = mountIn('zh-CN', DeadlineBadge, {
      clocks: [clock('resolve', 'paused', -H, null)],
      now: NOW,
    });
    expect(w.attributes('data-level')).toBe('paused');
    expect(w.text()).toBe('办结时限 · 已暂停计时');
  });

  it('no open clock, no badge', () => {
    const w = mountIn('zh-CN', DeadlineBadge, {
      clocks: [clock('accept', 'stopped', -H, null)],
      now: NOW,
    });
    expect(w.find('.deadline').exists()).toBe(false);
  });

  it('the running clock with least time left is the one shown', () => {
    const d = currentDeadline(
      [clock('resolve', 'running', -H, 30 * H), clock('feedback', 'running', -H, 5 * H)],
      NOW,
    );
    expect(d).toEqual({ level: 'ok', clock: 'feedback', ms: 5 * H });
  });
});
