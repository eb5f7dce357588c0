import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOARD_REFRESH_MS } from '../../desk/overdue';
import { mountIn } from '../../test/mount';
import OverdueBoardView from './OverdueBoardView.vue';

const calls = vi.hoisted(() => ({ overdue: 0, total: 1 }));

vi.mock('../../api/client', async (original) => ({
  ...(await original<typeof import('../../api/client')>()),
  api: {
    GET: vi.fn(async (path: string, init: unknown) => {
      const ok = new Response(null, { status: 200 });
      if (path === '/api/v1/supervision/overdue') {
        calls.overdue += 1;
        const items = Array.from({ length: calls.total }, (_, i) => ({
          id: `r${i}`,
          reference: `XX-2026-00000${i}`,
          title: `第 ${i + 1} 件`,
          state: 'accepted',
          branch: { id: 'b1', code: 'branch-1', name: '咸一村' },
          owner: { id: 'b1', code: 'branch-1', name: '咸一村' },
          dueAt: '2026-12-01T02:00:00.000Z',
          hoursLate: 30 - i,
          escalationLevel: 0,
          returnCount: 0,
          holdCount: 0,
          lateMilestone: null,
        }));
        return {
          data: {
            unit: { id: 't', code: 'xianxiang', name: '咸祥镇' },
            items,
            total: items.length,
            page: 1,
            pageSize: 50,
          },
          response: ok,
        };
      }
      // Two extensions, and one milestone plan, wait for a decision.
      const waiting = (init as { params: { query: { planPending?: boolean } } }).params.query
        .planPending
        ? 1
        : 2;
      return { data: { items: [], total: waiting, page: 1, pageSize: 1 }, response: ok };
    }),
  },
}));

describe('the overdue board refreshes by itself', () => {
  afterEach(() => vi.useRealTimers());

  it('asks again every minute and shows what came in, with what waits for approval', async () => {
    vi.useFakeTimers();
    const w = mountIn('zh-CN', OverdueBoardView, {});
    await flushPromises();
    expect(calls.overdue).toBe(1);
    expect(w.findAll('a.row')).toHaveLength(1);
    expect(w.find('[data-overdue-total]').text()).toBe('咸祥镇共 1 件超时未办结');
    expect(w.find('[data-pending-approvals]').text()).toBe('3 件延期或节点计划等待审批');

    calls.total = 3;
    await vi.advanceTimersByTimeAsync(BOARD_REFRESH_MS - 1_000);
    expect(calls.overdue).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await flushPromises();
    expect(calls.overdue).toBe(2);
    expect(w.findAll('a.row').map((r) => r.attributes('data-hours-late'))).toEqual([
      '30',
      '29',
      '28',
    ]);

    w.unmount();
    await vi.advanceTimersByTimeAsync(BOARD_REFRESH_MS * 2);
    expect(calls.overdue).toBe(2);
  });
});
