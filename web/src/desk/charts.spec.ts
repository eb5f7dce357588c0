import { describe, expect, it } from 'vitest';
import {
  type ChartWords,
  monthsBetween,
  type RatePoint,
  trendOption,
  unitChartHeight,
  unitRatesOption,
} from './charts';

const WORDS: ChartWords = {
  rates: {
    responseRate: '响应率',
    resolutionRate: '解决率',
    satisfactionRate: '满意率',
    onTimeRate: '按时办结率',
  },
  noData: '暂无数据',
  title: '各单位指标',
};
const POINTS: RatePoint[] = [
  {
    label: '咸一村',
    rates: { responseRate: 0.9, resolutionRate: 0.755, satisfactionRate: 1, onTimeRate: null },
  },
  {
    label: '咸二村',
    rates: { responseRate: 0.5, resolutionRate: null, satisfactionRate: 0, onTimeRate: 0.25 },
  },
];

type Series = {
  name: string;
  type: string;
  data: (number | null)[];
  symbol?: string;
  lineStyle?: { type: string };
  label?: { show: boolean; formatter: (p: { value: number | null }) => string };
};
type Option = {
  series: Series[];
  yAxis: { data?: string[] };
  xAxis: { data?: string[] };
  aria: { enabled: boolean; decal?: { show: boolean }; label: { description: string } };
  label?: unknown;
};

describe('the rate charts’ options (pure functions of the figures)', () => {
  it('per unit: one bar series per rate, in percent, with no bar where a rate has no base', () => {
    const o = unitRatesOption(POINTS, WORDS) as unknown as Option;
    expect(o.series.map((s) => [s.name, s.type])).toEqual([
      ['响应率', 'bar'],
      ['解决率', 'bar'],
      ['满意率', 'bar'],
      ['按时办结率', 'bar'],
    ]);
    // Units read top-down as listed: ECharts draws a category axis bottom-up.
    expect(o.yAxis.data).toEqual(['咸二村', '咸一村']);
    expect(o.series[0]?.data).toEqual([50, 90]);
    expect(o.series[1]?.data).toEqual([null, 75.5]);
    expect(o.series[2]?.data).toEqual([0, 100]);
    expect(o.series[3]?.data).toEqual([25, null]);
  });

  it('per unit: bars carry decal patterns and their values as text, so colour is not the only cue', () => {
    const o = unitRatesOption(POINTS, WORDS) as unknown as Option;
    expect(o.aria.enabled).toBe(true);
    expect(o.aria.decal?.show).toBe(true);
    expect(o.aria.label.description).toBe('各单位指标');
    const label = o.series[0]?.label;
    expect(label?.show).toBe(true);
    expect(label?.formatter({ value: 75.5 })).toBe('75.5%');
    expect(label?.formatter({ value: null })).toBe('暂无数据');
  });

  it('the unit chart grows with the number of units', () => {
    expect(unitChartHeight(1)).toBe(220);
    expect(unitChartHeight(10)).toBeGreaterThan(unitChartHeight(3));
  });

  it('trend: a line per rate, each with its own symbol and line style, months in order', () => {
    const months = [
      { label: '2026年11月', rates: POINTS[0]!.rates },
      { label: '2026年12月', rates: POINTS[1]!.rates },
    ];
    const o = trendOption(months, { ...WORDS, title: '逐月趋势' }) as unknown as Option;
    expect(o.xAxis.data).toEqual(['2026年11月', '2026年12月']);
    expect(o.series.map((s) => s.type)).toEqual(['line', 'line', 'line', 'line']);
    expect(new Set(o.series.map((s) => s.symbol)).size).toBe(4);
    expect(new Set(o.series.map((s) => `${s.symbol}/${s.lineStyle?.type}`)).size).toBe(4);
    expect(o.series[3]?.data).toEqual([null, 25]);
    expect(o.aria.label.description).toBe('逐月趋势');
  });

  it('every month of the trend is there, across the turn of the year', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(monthsBetween('2026-03', '2026-03')).toEqual(['2026-03']);
    expect(monthsBetween('2026-04', '2026-03')).toEqual([]);
  });
});
