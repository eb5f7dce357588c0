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
