/**
 * The red/black list (红黑榜), fair to ties and to small units (the rules: RANKING_RULES). Pure, so
 * every rule is tested without a database.
 */

export interface RankingSettings {
  response: number;
  resolution: number;
  satisfaction: number;
  /** Fewer requests received than this: not enough data. */
  minReceived: number;
}

export const DEFAULT_MIN_RECEIVED = 5;
export const MAX_MIN_RECEIVED = 1000;
/** At most this many units on each list. */
export const LIST_SIZE = 3;

/** The rules in words, for docs/figures.md. */
export const RANKING_RULES: readonly string[] = [
  'The score is the weighted mean of the response, resolution and satisfaction rates; a rate with no base is left out and the other weights count proportionally.',
  `A unit that received fewer requests in the period than \`minReceived\` (default ${DEFAULT_MIN_RECEIVED}, set with the weights) is "not enough data" (\`standing: notEnoughData\`): no score, no rank, on neither list. One request handled well must not top the list.`,
  'A unit with enough requests but no rate with a base has no score (`noScore`) and no rank.',
  'Equal scores (to four decimals) share a rank, competition style: 1, 1, 3.',
  `Red list: the units ranked within the top band; black list: those within the bottom band, counted the same way from the bottom. The band is ${LIST_SIZE} units, or half the ranked units (rounded down) when there are fewer than ${LIST_SIZE * 2}. A tie at the edge of a band takes the whole tie onto the list; a unit that would be on both lists (every score equal) is on neither.`,
];

export interface Rateable {
  received: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
}

export type Standing = 'ranked' | 'notEnoughData' | 'noScore';

export interface Placed<T> {
  row: T;
  standing: Standing;
  rank: number | null;
  score: number | null;
  list: 'red' | 'black' | null;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function scoreOf(row: Rateable, w: RankingSettings): number | null {
  const parts: [number | null, number][] = [
    [row.responseRate, w.response],
    [row.resolutionRate, w.resolution],
    [row.satisfactionRate, w.satisfaction],
  ];
  const present = parts.filter(([rate]) => rate !== null) as [number, number][];
  const weight = present.reduce((sum, [, wt]) => sum + wt, 0);
  if (present.length === 0 || weight === 0) return null;
  return round4(present.reduce((s, [rate, wt]) => s + rate * wt, 0) / weight);
}

/**
 * The rows placed on the list: the ranked first (best first; equal scores in `tieOrder`), then
 * those without a score, then those without enough data, each group in `tieOrder`.
 */
export function rank<T extends Rateable>(
  rows: readonly T[],
  w: RankingSettings,
  tieOrder: (a: T, b: T) => number,
): Placed<T>[] {
  const placed = rows.map((row): Placed<T> => {
    if (row.received < w.minReceived) {
      return { row, standing: 'notEnoughData', rank: null, score: null, list: null };
    }
    const score = scoreOf(row, w);
    return { row, standing: score === null ? 'noScore' : 'ranked', rank: null, score, list: null };
  });
  const scores = placed.filter((p) => p.standing === 'ranked').map((p) => p.score as number);
  const band = Math.min(LIST_SIZE, Math.floor(scores.length / 2));
  for (const p of placed) {
    if (p.standing !== 'ranked') continue;
    const score = p.score as number;
    p.rank = 1 + scores.filter((s) => s > score).length;
    const fromBottom = 1 + scores.filter((s) => s < score).length;
    const red = p.rank <= band;
    const black = fromBottom <= band;
    p.list = red && !black ? 'red' : black && !red ? 'black' : null;
  }
  const group: Record<Standing, number> = { ranked: 0, noScore: 1, notEnoughData: 2 };
  return placed.sort(
    (a, b) =>
      group[a.standing] - group[b.standing] ||
      (a.rank ?? 0) - (b.rank ?? 0) ||
      tieOrder(a.row, b.row),
  );
}
