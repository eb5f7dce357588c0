import {
  ALL_EVENT_TYPES,
  EVENT_PAYLOADS,
  MAX_TEXT_LENGTH,
  USER_EVENT_TYPES,
  payloadErrors,
  payloadFields,
  senderErrors,
  type RequestEventType,
} from '../../workflows';

/** The one declaration of event payloads, judged on its own (the machine and HTTP use it). */

const ID = 'a1000000-0000-4000-8000-000000000001';

/** One well-formed value for each kind of field. */
const GOOD: Record<string, unknown> = {
  text: 'x',
  id: ID,
  timestamp: '2030-01-31T17:30:00+08:00',
  rating: 4,
  boolean: true,
  clock: 'resolve',
  fraction: 0.5,
  milestone: 2,
  milestones: [
    { name: '立项', due: '2030-01-31T17:30:00+08:00' },
    { name: '竣工', due: '2030-06-30T17:30:00+08:00' },
  ],
};

function wellFormed(type: RequestEventType, only: 'required' | 'all' = 'all') {
  const body: Record<string, unknown> = { type };
  for (const [name, rule] of payloadFields(type)) {
    if (only === 'all' || !rule.optional) body[name] = GOOD[rule.kind];
  }
  return body as { type: RequestEventType };
}

describe('event payload declaration', () => {
  it('declares every event type', () => {
    expect(Object.keys(EVENT_PAYLOADS).sort()).toEqual([...ALL_EVENT_TYPES].sort());
  });

  it.each(ALL_EVENT_TYPES)(
    '%s: a well-formed payload, with and without optional fields, passes',
    (type) => {
      expect(payloadErrors(wellFormed(type))).toEqual([]);
      expect(payloadErrors(wellFormed(type, 'required'))).toEqual([]);
    },
  );

  const required = ALL_EVENT_TYPES.flatMap((type) =>
    payloadFields(type)
      .filter(([, rule]) => !rule.optional)
      .map(([field]) => [type, field] as const),
  );

  it.each(required)('%s without %s names the field', (type, field) => {
    const body: Record<string, unknown> = { ...wellFormed(type) };
    delete body[field];
    expect(payloadErrors(body as { type: RequestEventType })).toEqual([
      { field, messages: [`${field} is required`] },
    ]);
  });

  const texts = USER_EVENT_TYPES.flatMap((type) =>
    payloadFields(type)
      .filter(([, rule]) => rule.kind === 'text')
      .flatMap(([field]) =>
        (
          [
            ['empty', '', 'must not be empty or only white space'],
            ['blank', ' \n\t ', 'must not be empty or only white space'],
            [
              'too long',
              'x'.repeat(MAX_TEXT_LENGTH + 1),
              `must be at most ${MAX_TEXT_LENGTH} characters`,
            ],
            ['a number', 42, 'must be text'],
          ] as const
        ).map(([what, value, message]) => [type, field, what, value, message] as const),
      ),
  );

  it.each(texts)(
    '%s with %s %s: one message naming the field',
    (type, field, _what, value, message) => {
      expect(payloadErrors({ ...wellFormed(type), [field]: value })).toEqual([
        { field, messages: [`${field} ${message}`] },
      ]);
    },
  );

  it('names every wrong field at once, and a field that is not declared', () => {
    expect(
      payloadErrors({
        type: 'ASSIGN',
        assigneeUnitId: 'dept-roads',
        assigneeUserId: 7,
        force: true,
      } as never),
    ).toEqual([
      { field: 'assigneeUnitId', messages: ['assigneeUnitId must be a UUID'] },
      { field: 'assigneeUserId', messages: ['assigneeUserId must be a UUID'] },
      { field: 'force', messages: ['force is not a field of ASSIGN'] },
    ]);
  });

  it.each([
    ['a working-day date', '2030-01-31', 'wire', true],
    ['a date', '2030-01-31', 'resolved', false],
    ['a timestamp with an offset', '2030-01-31T17:30:00+08:00', 'resolved', true],
    ['a UTC timestamp', '2030-01-31T09:30:00Z', 'wire', true],
    ['a timestamp without an offset', '2030-01-31T17:30:00', 'wire', false],
    ['a day that does not exist', '2030-02-30', 'wire', false],
    ['a timestamp on a day that does not exist', '2030-02-30T10:00:00Z', 'wire', false],
    ['words', 'next week', 'wire', false],
    ['a number', 1_893_456_000_000, 'wire', false],
  ] as const)('until as %s in the %s form: accepted=%s', (_what, until, form, ok) => {
    const errors = payloadErrors({ type: 'REQUEST_EXTENSION', until, reason: 'r' } as never, form);
    if (ok) {
      expect(errors).toEqual([]);
    } else {
      expect(errors).toEqual([
        {
          field: 'until',
          messages: [
            form === 'wire'
              ? 'until must be a date (YYYY-MM-DD) or a timestamp with an offset (e.g. 2026-12-31T17:30:00+08:00)'
              : 'until must be a timestamp with an offset (e.g. 2026-12-31T17:30:00+08:00)',
          ],
        },
      ]);
    }
  });

  describe('a milestone plan', () => {
    const plan = (milestones: unknown, form: 'wire' | 'resolved' = 'wire') =>
      payloadErrors({ type: 'PROPOSE_PLAN', milestones, reason: 'r' } as never, form);
    const SEVEN = ['立项', '初步设计评审', '概算审批', '工程预算', '财政审批', '招投标', '竣工'];

    it('takes 1 to 12 milestones with dates going forward, dates or timestamps', () => {
      expect(plan(SEVEN.map((name, i) => ({ name, due: `2030-0${i + 1}-15` })))).toEqual([]);
      expect(plan([{ name: '竣工', due: '2030-06-30T17:30:00+08:00' }], 'resolved')).toEqual([]);
      const twelve = Array.from({ length: 12 }, (_, i) => ({
        name: `第${i + 1}步`,
        due: `2030-${String(i + 1).padStart(2, '0')}-01`,
      }));
      expect(plan(twelve)).toEqual([]);
      expect(plan([...twelve, { name: '多一步', due: '2031-01-01' }])).toEqual([
        { field: 'milestones', messages: ['milestones must be a list of 1 to 12 milestones'] },
      ]);
      expect(plan([])).toEqual([
        { field: 'milestones', messages: ['milestones must be a list of 1 to 12 milestones'] },
      ]);
      expect(plan('立项')).toEqual([
        { field: 'milestones', messages: ['milestones must be a list of 1 to 12 milestones'] },
      ]);
    });

    it('refuses due dates that go backwards or stand still, naming the milestone', () => {
      expect(
        plan([
          { name: '立项', due: '2030-03-01' },
          { name: '初步设计评审', due: '2030-02-01' },
          { name: '概算审批', due: '2030-04-01' },
          { name: '竣工', due: '2030-04-01' },
        ]),
      ).toEqual([
        {
          field: 'milestones[1].due',
          messages: ['milestones[1].due must be later than milestones[0].due'],
        },
        {
          field: 'milestones[3].due',
          messages: ['milestones[3].due must be later than milestones[2].due'],
        },
      ]);
      expect(
        plan(
          [
            { name: '立项', due: '2030-03-01T17:30:00+08:00' },
            { name: '竣工', due: '2030-03-01T09:30:00Z' },
          ],
          'resolved',
        ),
      ).toEqual([
        {
          field: 'milestones[1].due',
          messages: ['milestones[1].due must be later than milestones[0].due'],
        },
      ]);
    });

    it('leaves a date beside a timestamp to the engine, which compares them as times', () => {
      expect(
        plan([
          { name: '立项', due: '2030-03-01' },
          { name: '竣工', due: '2030-02-01T09:30:00Z' },
        ]),
      ).toEqual([]);
    });

    it('names every broken part of a milestone', () => {
      expect(
        plan([
          { name: 'x'.repeat(101), due: '2030-01-01' },
          { name: ' ', due: 'soon' },
          { due: '2030-03-01', budget: 5 },
          '竣工',
        ]),
      ).toEqual([
        {
          field: 'milestones[0].name',
          messages: ['milestones[0].name must be at most 100 characters'],
        },
        {
          field: 'milestones[1].name',
          messages: ['milestones[1].name must not be empty or only white space'],
        },
        {
          field: 'milestones[1].due',
          messages: [
            'milestones[1].due must be a date (YYYY-MM-DD) or a timestamp with an offset (e.g. 2026-12-31T17:30:00+08:00)',
          ],
        },
        { field: 'milestones[2].name', messages: ['milestones[2].name must be text'] },
        {
          field: 'milestones[2].budget',
          messages: ['milestones[2].budget is not a field of a milestone'],
        },
        {
          field: 'milestones[3]',
          messages: ['milestones[3] must be an object with a name and a due date'],
        },
      ]);
      expect(plan([{ name: '立项' }])).toEqual([
        { field: 'milestones[0].due', messages: ['milestones[0].due is required'] },
      ]);
    });

    it('a refusal of a plan needs a reason; an approval does not', () => {
      expect(payloadErrors({ type: 'DECIDE_PLAN', approve: false })).toEqual([
        { field: 'reason', messages: ['reason is required when approve is false'] },
      ]);
      expect(payloadErrors({ type: 'DECIDE_PLAN', approve: false, reason: '太慢' })).toEqual([]);
      expect(payloadErrors({ type: 'DECIDE_PLAN', approve: true })).toEqual([]);
    });

    it.each([0, 13, 1.5, '1'])('a milestone number of %j is refused', (milestone) => {
      expect(payloadErrors({ type: 'MILESTONE_DONE', milestone, note: 'n' } as never)).toEqual([
        { field: 'milestone', messages: ['milestone must be a whole number from 1 to 12'] },
      ]);
    });
  });

  it.each([
    ['a UUID', 'e1000000-0000-4000-8000-00000000000e', 'resolved', true],
    ['a reference number', 'XX-2026-000042', 'wire', true],
    ['a reference number in lower case', 'xx-2026-000042', 'wire', true],
    ['a reference number', 'XX-2026-000042', 'resolved', false],
    ['words', 'the pothole', 'wire', false],
    ['a number', 42, 'wire', false],
  ] as const)('MERGE into %s in the %s form: accepted=%s', (_what, intoRequestId, form, ok) => {
    const errors = payloadErrors({ type: 'MERGE', intoRequestId } as never, form);
    expect(errors).toEqual(
      ok
        ? []
        : [
            {
              field: 'intoRequestId',
              messages: [
                form === 'wire'
                  ? 'intoRequestId must be a request id (UUID) or a reference number (XX-2026-000042)'
                  : 'intoRequestId must be a UUID',
              ],
            },
          ],
    );
  });

  it('only staff may mark a comment internal', () => {
    const internal = { type: 'COMMENT', text: 'x', internal: true } as const;
    expect(senderErrors(internal, 'resident')).toEqual([
      { field: 'internal', messages: ['only staff may set internal'] },
    ]);
    expect(senderErrors(internal, 'staff')).toEqual([]);
    expect(senderErrors({ ...internal, internal: false }, 'resident')).toEqual([]);
    expect(senderErrors({ type: 'COMMENT', text: 'x' }, 'resident')).toEqual([]);
  });
});
