import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema';
import { mountIn } from '../../test/mount';
import RankingList from './RankingList.vue';

type RankedUnit = components['schemas']['RankedUnitDto'];

const ranked = (rank: number, name: string, score: number | null, list: RankedUnit['list']) => ({
  rank,
  unit: { id: `u${rank}`, code: `branch-${rank}`, name },
  score,
  responseRate: score,
  resolutionRate: score === null ? null : 0.5,
  satisfactionRate: null,
  received: rank * 3,
  list,
});

const RANKING = {
  unit: { id: 't', code: 'xianxiang', name: '咸祥镇' },
  from: '2026-12-01T00:00:00+08:00',
  to: '2026-12-02T00:00:00+08:00',
  weights: { response: 0.3, resolution: 0.4, satisfaction: 0.3 },
  units: [
    ranked(1, '咸一村', 0.9312, 'red'),
    ranked(2, '咸二村', 0.6, null),
    ranked(3, '南头社区', 0.2, 'black'),
    ranked(4, '新村', null, null),
  ],
};

describe('RankingList: the red/black list in words, not colours alone', () => {
  it('lists every unit in rank order with its score and rates', () => {
    const w = mountIn('zh-CN', RankingList, { ranking: RANKING });
    const rows = w.findAll('li');
    expect(rows.map((r) => r.attributes('data-unit'))).toEqual([
      'branch-1',
      'branch-2',
      'branch-3',
      'branch-4',
    ]);
    expect(rows[0]?.text()).toContain('第 1 名');
    expect(rows[0]?.text()).toContain('93.1 分');
    expect(rows[0]?.text()).toContain('响应率 93.1%');
    expect(rows[0]?.text()).toContain('满意率 暂无数据');
    expect(rows[3]?.text()).toContain('无得分');
    expect(w.text()).toContain('响应率 × 30% + 解决率 × 40% + 满意率 × 30%');
  });

  it('the red and black lists are named and carry an icon of their own', () => {
    const w = mountIn('zh-CN', RankingList, { ranking: RANKING });
    const [red, middle, black] = w.findAll('li');
    expect(red?.attributes('data-list')).toBe('red');
    expect(red?.find('.ranked__tag').text()).toBe('红榜');
    expect(red?.find('.van-icon-medal-o').exists()).toBe(true);
    expect(middle?.find('.ranked__tag').exists()).toBe(false);
    expect(black?.find('.ranked__tag').text()).toBe('黑榜');
    expect(black?.find('.van-icon-warning-o').exists()).toBe(true);
  });

  it('opening a unit hands it to the page (which drills down)', async () => {
    const w = mountIn('en', RankingList, { ranking: RANKING });
    await w.findAll('li')[2]?.find('button').trigger('click');
    expect(w.emitted('open')).toEqual([[{ id: 'u3', code: 'branch-3', name: '南头社区' }]]);
    expect(w.findAll('li')[2]?.text()).toContain('Black list');
  });
});
