import { splitPeriod } from '../../src/modules/supervision/period-split';

const at = (local: string) => new Date(`${local}+08:00`);

describe('splitPeriod', () => {
  it('reads whole months from month rows, the days around them from day rows', () => {
    expect(splitPeriod(at('2026-08-15T00:00:00'), at('2026-11-03T00:00:00'), true)).toEqual({
      months: [['2026-09-01', '2026-11-01']],
      days: [
        ['2026-08-15', '2026-09-01'],
        ['2026-11-01', '2026-11-03'],
      ],
      raw: [],
    });
  });

  it('reads a ragged start and end from the requests', () => {
    expect(splitPeriod(at('2026-10-31T09:30:00'), at('2026-11-22T14:00:00'), true)).toEqual({
      months: [],
      days: [['2026-11-01', '2026-11-22']],
      raw: [
        [at('2026-10-31T09:30:00'), at('2026-11-01T00:00:00')],
        [at('2026-11-22T00:00:00'), at('2026-11-22T14:00:00')],
      ],
    });
  });

  it('uses day rows only when months are not wanted (weeks straddle months)', () => {
    expect(splitPeriod(at('2026-01-01T00:00:00'), at('2026-03-01T00:00:00'), false)).toEqual({
      months: [],
      days: [['2026-01-01', '2026-03-01']],
      raw: [],
    });
  });

  it('crosses a year end', () => {
    expect(splitPeriod(at('2025-12-01T00:00:00'), at('2026-02-01T00:00:00'), true)).toEqual({
      months: [['2025-12-01', '2026-02-01']],
      days: [],
      raw: [],
    });
    expect(splitPeriod(at('2025-12-10T00:00:00'), at('2026-01-20T00:00:00'), true).months).toEqual(
      [],
    );
  });

  it('keeps a period inside one day wholly raw', () => {
    const from = at('2026-11-22T08:00:00');
    const to = at('2026-11-22T18:00:00');
    expect(splitPeriod(from, to, true)).toEqual({ months: [], days: [], raw: [[from, to]] });
  });

  it('covers every instant exactly once', () => {
    // Pieces, as instants, must tile [from, to) without gap or overlap.
    const midnight = (d: string) => at(`${d}T00:00:00`).getTime();
    let seed = 42;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 500; i++) {
      const a = Date.UTC(2025, 0, 1) + Math.floor(random() * 800 * 86_400_000);
      const b = a + 1 + Math.floor((i % 5 === 0 ? 2 : 120) * random() * 86_400_000);
      const s = splitPeriod(new Date(a), new Date(b), i % 2 === 0);
      const pieces = [
        ...s.raw.map(([x, y]) => [x.getTime(), y.getTime()]),
        ...[...s.months, ...s.days].map(([x, y]) => [midnight(x), midnight(y)]),
      ].sort((p, q) => p[0] - q[0]);
      expect(pieces[0][0]).toBe(a);
      expect(pieces.at(-1)?.[1]).toBe(b);
      for (let k = 1; k < pieces.length; k++) expect(pieces[k][0]).toBe(pieces[k - 1][1]);
      for (const [x, y] of pieces) expect(x).toBeLessThan(y);
    }
  });
});
