import { nextDue } from '../../src/modules/clocks/clock-view';
import { isSearchable } from '../../src/modules/requests/dto/list-requests.query';
import { asReference } from '../../src/modules/requests/request-reference';

describe('work queue inputs', () => {
  describe('nextDue', () => {
    const at = (iso: string) => new Date(iso);

    it('is the earliest running accept, dispatch or resolve clock', () => {
      expect(
        nextDue([
          { kind: 'resolve', status: 'running', dueAt: at('2026-12-08T09:00:00Z') },
          { kind: 'accept', status: 'running', dueAt: '2026-12-02T09:00:00.000Z' },
          { kind: 'dispatch', status: 'stopped', dueAt: at('2026-12-01T09:00:00Z') },
        ]),
      ).toEqual({ at: at('2026-12-02T09:00:00Z'), kind: 'accept' });
    });

    it('ignores paused, stopped and breached clocks and the feedback clock', () => {
      expect(
        nextDue([
          { kind: 'resolve', status: 'paused', dueAt: null },
          { kind: 'accept', status: 'breached', dueAt: at('2026-12-01T09:00:00Z') },
          { kind: 'dispatch', status: 'stopped', dueAt: at('2026-12-01T10:00:00Z') },
          { kind: 'feedback', status: 'running', dueAt: at('2026-12-01T11:00:00Z') },
        ]),
      ).toBeNull();
    });
  });

  describe('isSearchable', () => {
    it.each(['路灯', '小区路灯不亮', 'ab', '路 灯a', 'ＡＢ', `${'路'.repeat(97)} 灯a`])(
      '%j may be searched',
      (q) => expect(isSearchable(q)).toBe(true),
    );

    it.each(['', ' ', '路', ' 路 ', '路 灯', 'a b c', 'e\u0301', '路'.repeat(101), 42, ['路灯']])(
      '%j may not: no word of two characters, or too long',
      (q) => expect(isSearchable(q)).toBe(false),
    );
  });

  describe('asReference', () => {
    it.each([
      ['XX-2026-000042', 'XX-2026-000042'],
      [' xx-2026-000042 ', 'XX-2026-000042'],
      ['ABCDEF-2026-1000000', 'ABCDEF-2026-1000000'],
    ])('%j is the reference %s', (text, reference) => expect(asReference(text)).toBe(reference));

    it.each(['XX-2026-42', 'X-2026-000042', 'XX_2026_000042', 'XX-2026-000042-1', '路灯', ''])(
      '%j is not a reference',
      (text) => expect(asReference(text)).toBeNull(),
    );
  });
});
