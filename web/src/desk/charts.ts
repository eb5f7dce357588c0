import type { EChartsCoreOption } from 'echarts/core';
import { percent, RATES, type RateKey } from './rates';

/** One group of rates: a unit's, or a month's. */
export interface RatePoint {
  label: string;
  rates: Record<RateKey, number | null>;
}

export interface ChartWords {
  /** The name of each rate, for the legend and the labels. */
  rates: Record<RateKey, string>;
  /** Said instead of a bar or a point when a rate has no base. */
  noData: string;
  /** What the chart shows, read out by screen readers. */
  title: string;
}

/**
 * Each rate has a symbol and a line style as well as a colour, and bars carry decal patterns and
 * their value in words: the colour is never the only thing that tells them apart.
 */
const SYMBOLS: Record<RateKey, string> = {
  responseRate: 'circle',
  resolutionRate: 'rect',
  satisfactionRate: 'triangle',
  onTimeRate: 'diamond',
};
const LINES: Record<RateKey, 'solid' | 'dashed' | 'dotted'> = {
  responseRate: 'solid',
  resolutionRate: 'dashed',
  satisfactionRate: 'dotted',
  onTimeRate: 'solid',
};
/** Dark enough on white for text of the labels (WCAG AA). */
export const RATE_COLOURS: Record<RateKey, string> = {
  responseRate: '#1d4ed8',
  resolutionRate: '#b45309',
  satisfactionRate: '#15803d',
  onTimeRate: '#7e22ce',
};

const FONT = { fontSize: 12, color: '#1f2937' };
const label = (words: ChartWords) => ({
  show: true,
  ...FONT,
  formatter: ({ value }: { value: number | null }) =>
    value === null || value === undefined ? words.noData : `${value}%`,
});

/** Height in pixels that fits the horizontal bars of this many units (four rates each). */
export const unitChartHeight = (units: number): number => Math.max(220, 80 + units * 4 * 22);

/**
 * The four rates of each unit as horizontal bars: units down the side, so a phone shows long unit
 * names and any number of units by scrolling the page.
 */
export function unitRatesOption(
  points: readonly RatePoint[],
  words: ChartWords,
): EChartsCoreOption {
  const units = [...points].reverse();
  return {
    aria: { enabled: true, label: { description: words.title }, decal: { show: true } },
    animation: false,
    legend: { top: 0, textStyle: FONT, itemGap: 12 },
    grid: { left: 8, right: 56, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...FONT, formatter: '{value}%' } },
    yAxis: {
      type: 'category',
      data: units.map((p) => p.label),
      axisLabel: { ...FONT, width: 96, overflow: 'break' },
    },
    series: RATES.map((rate) => ({
      name: words.rates[rate],
      type: 'bar',
      barMaxWidth: 18,
      itemStyle: { color: RATE_COLOURS[rate] },
      label: { ...label(words), position: 'right' },
      data: units.map((p) => percent(p.rates[rate])),
    })),
  };
}

/** The four rates month by month as lines, each with its own symbol and line style. */
export function trendOption(points: readonly RatePoint[], words: ChartWords): EChartsCoreOption {
  return {
    aria: { enabled: true, label: { description: words.title } },
    animation: false,
    legend: { top: 0, textStyle: FONT, itemGap: 12 },
    grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: FONT },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...FONT, formatter: '{value}%' } },
    series: RATES.map((rate) => ({
      name: words.rates[rate],
      type: 'line',
      connectNulls: false,
      symbol: SYMBOLS[rate],
      symbolSize: 9,
      itemStyle: { color: RATE_COLOURS[rate] },
      lineStyle: { type: LINES[rate], width: 2 },
      data: points.map((p) => percent(p.rates[rate])),
    })),
  };
}

/**
 * Every month from `from` to `to` (both 'YYYY-MM'), so a month with no request shows as a gap
 * rather than disappearing from the trend.
 */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}
