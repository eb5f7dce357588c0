import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../api/client';
import {
  dueProblemOf,
  fieldMessages,
  milestoneProblems,
  milestonesDoneAt,
  planWords,
  shanghaiDate,
} from './plan';

const TODAY = '2026-03-02';

describe('a milestone plan as typed', () => {
  it('holds when each row has a name and a date, none before today, each later than the last', () => {
    expect(
      milestoneProblems(
        [
          { name: '立项', due: TODAY },
          { name: '初步设计评审', due: '2026-04-15' },
          { name: '竣工', due: '2026-09-30' },
        ],
        TODAY,
      ),
    ).toEqual({});
  });

  it('names each field that does not hold the way the API names it', () => {
    expect(
      milestoneProblems(
        [
          { name: ' ', due: '2026-03-01' },
          { name: '概算审批', due: '2026-02-30' },
          { name: '工程预算', due: '2026-05-01' },
          { name: 'x'.repeat(101), due: '2026-05-01' },
          { name: '招投标', due: '' },
        ],
        TODAY,
      ),
    ).toEqual({
      'milestones[0].name': 'required',
      'milestones[0].due': 'past',
      'milestones[1].due': 'notDate',
      'milestones[3].name': 'tooLong',
      'milestones[3].due': 'notAfter',
      'milestones[4].due': 'required',
    });
    expect(milestoneProblems([], TODAY)).toEqual({ milestones: 'required' });
  });

  it('tells the API’s reasons for a due date in the app’s own words where it can', () => {
    expect(
      dueProblemOf(
        'milestones[1].due: 2026-10-03 is not a working day in the working calendar; give a working day',
      ),
    ).toBe('notWorkingDay');
    expect(dueProblemOf('milestones[2].due must be later than milestones[1].due')).toBe('notAfter');
    expect(dueProblemOf('milestones[0].due: the working day 2026-03-02 ended at 17:30')).toBe(
      'past',
    );
    expect(dueProblemOf('something else')).toBeNull();
    expect(fieldMessages([{ field: 'milestones[1].due', messages: ['a', 'b'] }])).toEqual({
      'milestones[1].due': 'a; b',
    });
  });

  it('today is the date in Asia/Shanghai', () => {
    expect(shanghaiDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(shanghaiDate(new Date('2026-03-01T15:30:00Z'))).toBe('2026-03-01');
  });
});

describe('plan steps in the timeline', () => {
  const entry = (type: string, payload: Record<string, unknown>, at = '2026-04-01T02:00:00Z') =>
    ({ seq: 1, type, payload, at, attachments: [] }) as unknown as TimelineEntry;
  const t = (key: string, values: Record<string, unknown>) => `${key} ${JSON.stringify(values)}`;

  it('knows when each milestone was done', () => {
    const done = milestonesDoneAt([
      entry('MILESTONE_DONE', { milestone: 1, note: 'x' }, '2026-04-01T02:00:00Z'),
      entry('COMMENT', { text: 'y' }),
      entry('MILESTONE_DONE', { milestone: 2, note: 'x' }, '2026-05-01T02:00:00Z'),
    ]);
    expect([...done]).toEqual([
      [1, '2026-04-01T02:00:00Z'],
      [2, '2026-05-01T02:00:00Z'],
    ]);
  });

  it('says how many milestones, until when, and which one is done', () => {
    const until = '2026-09-30T09:30:00Z';
    expect(planWords(entry('PROPOSE_PLAN', { milestoneCount: 7, until }), t, 'zh-CN')).toEqual([
      'plan.timeline.proposed {"n":7,"end":"2026/09/30"}',
    ]);
    expect(planWords(entry('DECIDE_PLAN', { approve: false, reason: 'x' }), t, 'zh-CN')).toEqual([
      'plan.timeline.refused {}',
    ]);
    expect(
      planWords(
        entry('MILESTONE_DONE', { milestone: 1, milestoneCount: 7, milestoneName: '立项' }),
        t,
        'zh-CN',
      ),
    ).toEqual(['plan.timeline.done {"n":1,"total":7,"name":"立项"}']);
    expect(planWords(entry('COMMENT', { text: 'x' }), t, 'zh-CN')).toEqual([]);
  });
});
