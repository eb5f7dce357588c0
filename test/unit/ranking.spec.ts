import {
  rank,
  type RankingSettings,
  scoreOf,
} from '../../src/modules/supervision/supervision-ranking';

const W: RankingSettings = { response: 0.3, resolution: 0.4, satisfaction: 0.3, minReceived: 5 };

interface Row {
  code: string;
  received: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
}

/** A unit whose three rates are all `rate`, so its score is `rate`. */
const unit = (code: string, rate: number | null, received = 10): Row => ({
  code,
  received,
  responseRate: rate,
  resolutionRate: rate,
  satisfactionRate: rate,
});

const placed = (rows: Row[], w = W) =>
  rank(rows, w, (a, b) => a.code.localeCompare(b.code)).map((p) => [
    p.row.code,
    p.rank,
    p.list,
    p.standing,
  ]);

describe('the red/black list', () => {
  it('scores the weighted mean of the rates that have a base', () => {
    expect(
      scoreOf({ received: 9, responseRate: 1, resolutionRate: 0.5, satisfactionRate: 0 }, W),
    ).toBe(0.5);
    // Without a resolution rate the other two weights count 0.3 : 0.3.
    expect(
      scoreOf({ received: 9, responseRate: 1, resolutionRate: null, satisfactionRate: 0 }, W),
    ).toBe(0.5);
    expect(scoreOf(unit('x', null), W)).toBeNull();
  });

  it('gives equal scores the same rank, competition style, and the same list', () => {
    expect(
      placed([
        unit('a', 0.9),
        unit('b', 0.9),
        unit('c', 0.8),
        unit('d', 0.7),
        unit('e', 0.5),
        unit('f', 0.5),
        unit('g', 0.5),
        unit('h', 0.4),
      ]),
    ).toEqual([
      ['a', 1, 'red', 'ranked'],
      ['b', 1, 'red', 'ranked'],
      ['c', 3, 'red', 'ranked'],
      ['d', 4, null, 'ranked'],
      // Three share 5th; from the bottom they are 2nd, inside the band of 3: all black.
      ['e', 5, 'black', 'ranked'],
      ['f', 5, 'black', 'ranked'],
      ['g', 5, 'black', 'ranked'],
      ['h', 8, 'black', 'ranked'],
    ]);
  });

  it('a tie across the edge of the band takes the whole tie onto the list', () => {
    expect(
      placed([
        unit('a', 0.9),
        unit('b', 0.8),
        unit('c', 0.7),
        unit('d', 0.7),
        unit('e', 0.6),
        unit('f', 0.3),
        unit('g', 0.2),
      ]),
    ).toEqual([
      ['a', 1, 'red', 'ranked'],
      ['b', 2, 'red', 'ranked'],
      ['c', 3, 'red', 'ranked'],
      ['d', 3, 'red', 'ranked'],
      ['e', 5, 'black', 'ranked'],
      ['f', 6, 'black', 'ranked'],
      ['g', 7, 'black', 'ranked'],
    ]);
  });

  it('puts units with fewer requests than the minimum on neither list, unranked', () => {
    expect(
      placed([
        unit('a', 1, 1),
        unit('b', 0.8, 5),
        unit('c', 0.6, 7),
        unit('d', 0, 4),
        unit('e', null, 6),
      ]),
    ).toEqual([
      ['b', 1, 'red', 'ranked'],
      ['c', 2, 'black', 'ranked'],
      ['e', null, null, 'noScore'],
      ['a', null, null, 'notEnoughData'],
      ['d', null, null, 'notEnoughData'],
    ]);
    const scored = rank([unit('a', 1, 1)], W, () => 0)[0];
    expect(scored.score).toBeNull();
  });

  it('the minimum is a setting: at 1 the small unit is ranked', () => {
    expect(placed([unit('a', 1, 1), unit('b', 0.8, 5)], { ...W, minReceived: 1 })).toEqual([
      ['a', 1, 'red', 'ranked'],
      ['b', 2, 'black', 'ranked'],
    ]);
  });

  it('lists nobody when every score is equal, and only a band of half when there are few', () => {
    expect(placed([unit('a', 0.5), unit('b', 0.5), unit('c', 0.5), unit('d', 0.5)])).toEqual([
      ['a', 1, null, 'ranked'],
      ['b', 1, null, 'ranked'],
      ['c', 1, null, 'ranked'],
      ['d', 1, null, 'ranked'],
    ]);
    expect(placed([unit('a', 0.9)])).toEqual([['a', 1, null, 'ranked']]);
    expect(placed([unit('a', 0.9), unit('b', 0.9), unit('c', 0.1)])).toEqual([
      ['a', 1, 'red', 'ranked'],
      ['b', 1, 'red', 'ranked'],
      ['c', 3, 'black', 'ranked'],
    ]);
  });
});
