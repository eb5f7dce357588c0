import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { USER_EVENT_TYPES, payloadFields, type FieldKind } from '../../workflows';
import {
  endOfWorkingDay,
  isWorkingDay,
  localDateOf,
  localTimestampOf,
  parseLocalDate,
  type WorkingCalendar,
} from '../../src/modules/calendar/business-time';
import { limitsAt } from '../../src/modules/calendar/calendar-limits';
import { TEST_DATABASE_URL } from '../support/env';
import {
  createRequest,
  createUser,
  driveTo,
  expectProblem,
  countRequests,
  listAll,
  send,
  sendOk,
  snapshot,
  timeline,
  uniqueCode,
  uniqueTitle,
  unitId,
  userId,
  type EventBody,
  type RequestBody,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

const LONG = 'x'.repeat(2001);
const uuidOf = (i: number) => `6f1c2d9e-0000-4000-8000-${String(i).padStart(12, '0')}`;
const SOME_ID = uuidOf(0);

describe('bad input', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => stopTestApp(t));

  /** Sends a command that must be refused, and proves the request did not move. */
  async function refused(
    r: RequestBody,
    user: string,
    event: unknown,
    status: number,
    code: string,
    headers: Record<string, string> = {},
  ) {
    const before = await snapshot(t, r.id);
    const res = await t.http
      .post(`/api/v1/requests/${r.id}/events`)
      .set({ ...(await t.as(user)), ...headers })
      .send(event as object);
    expectProblem(res, status, code);
    expect(await snapshot(t, r.id)).toEqual(before);
    return res;
  }

  describe('wrong state', () => {
    it('409 REQUEST.TRANSITION_NOT_ALLOWED lists what the caller may send instead', async () => {
      const r = await createRequest(t);
      const res = await refused(
        r,
        'secretary-1',
        { type: 'RESOLVE', resolution: '还没受理就办结' },
        409,
        'REQUEST.TRANSITION_NOT_ALLOWED',
      );
      expect(res.body.state).toBe('submitted');
      expect([...res.body.allowedEvents].sort()).toEqual([
        'ACCEPT',
        'COMMENT',
        'MERGE',
        'REJECT',
        'RETURN',
      ]);
      const resident = await refused(
        r,
        'resident-1',
        { type: 'CONFIRM', rating: 5 },
        409,
        'REQUEST.TRANSITION_NOT_ALLOWED',
      );
      expect([...resident.body.allowedEvents].sort()).toEqual(['COMMENT', 'WITHDRAW']);
    });

    it('a terminal request only takes comments', async () => {
      const r = await driveTo(t, 'closedAtBranch');
      const res = await refused(
        r,
        'secretary-1',
        { type: 'ESCALATE', reason: '太晚了' },
        409,
        'REQUEST.TRANSITION_NOT_ALLOWED',
      );
      expect(res.body.allowedEvents).toEqual(['COMMENT']);
    });
  });

  describe('If-Match', () => {
    it('a stale version answers 412 and changes nothing', async () => {
      const r = await createRequest(t);
      await sendOk(t, r.id, 'resident-1', { type: 'COMMENT', text: '先补充一句' });
      const res = await refused(
        r,
        'secretary-1',
        { type: 'ACCEPT' },
        412,
        'REQUEST.PRECONDITION_FAILED',
        { 'If-Match': '"1"' },
      );
      expect(res.body.currentVersion).toBe(2);
    });

    it.each(['"2"', '2', 'W/"2"'])(
      'the current version (%s) lets the command through',
      async (tag) => {
        const r = await createRequest(t);
        await sendOk(t, r.id, 'resident-1', { type: 'COMMENT', text: '先补充一句' });
        const res = await send(t, r.id, 'secretary-1', { type: 'ACCEPT' }, { 'If-Match': tag });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ state: 'accepted', version: 3 });
        expect(res.headers.etag).toBe('"3"');
      },
    );

    it.each(['abc', '"1', '-1', '1.5', '"1", "2"', '9999999999'])(
      'a malformed value (%s) answers 400',
      async (tag) => {
        const r = await createRequest(t);
        await refused(r, 'secretary-1', { type: 'ACCEPT' }, 400, 'HTTP.INVALID_IF_MATCH', {
          'If-Match': tag,
        });
      },
    );

    it('GET returns the version as an ETag', async () => {
      const r = await createRequest(t);
      const res = await t.http
        .get(`/api/v1/requests/${r.id}`)
        .set(await t.as('resident-1'))
        .expect(200);
      expect(res.headers.etag).toBe('"1"');
    });
  });

  describe('malformed and oversized bodies', () => {
    it('malformed JSON answers 400 on create and on events', async () => {
      const created = await t.http
        .post('/api/v1/requests')
        .set(await t.as('resident-1'))
        .set('Content-Type', 'application/json')
        .send('{"title": "半截');
      expectProblem(created, 400, 'HTTP.MALFORMED_JSON');
      const r = await createRequest(t);
      const before = await snapshot(t, r.id);
      const event = await t.http
        .post(`/api/v1/requests/${r.id}/events`)
        .set(await t.as('secretary-1'))
        .set('Content-Type', 'application/json')
        .send('{"type": ACCEPT}');
      expectProblem(event, 400, 'HTTP.MALFORMED_JSON');
      expect(await snapshot(t, r.id)).toEqual(before);
    });

    it.each<[string, string, string]>([
      ['an array', JSON.stringify([{ type: 'ACCEPT' }]), 'VALIDATION.FAILED'],
      ['a string', '"ACCEPT"', 'HTTP.MALFORMED_JSON'],
      ['null', 'null', 'HTTP.MALFORMED_JSON'],
      ['empty', '', 'REQUEST.UNKNOWN_EVENT'],
    ])('an event body that is %s answers 400', async (_what, body, code) => {
      const r = await createRequest(t);
      const before = await snapshot(t, r.id);
      const res = await t.http
        .post(`/api/v1/requests/${r.id}/events`)
        .set(await t.as('secretary-1'))
        .set('Content-Type', 'application/json')
        .send(body);
      expectProblem(res, 400, code);
      expect(await snapshot(t, r.id)).toEqual(before);
    });

    it.each<[string, string, number, string]>([
      ['text/plain', '{"type":"ACCEPT"}', 400, 'VALIDATION.FAILED'],
      ['application/x-www-form-urlencoded', 'type=ACCEPT', 400, 'VALIDATION.FAILED'],
      ['application/xml', '<event type="ACCEPT"/>', 400, 'VALIDATION.FAILED'],
      ['application/json; charset=latin1', '{"type":"ACCEPT"}', 415, 'HTTP.UNSUPPORTED_ENCODING'],
    ])('a %s body is refused (%#)', async (contentType, body, status, code) => {
      const before = await countRequests(t, 'resident-1');
      const created = await t.http
        .post('/api/v1/requests')
        .set(await t.as('resident-1'))
        .set('Content-Type', contentType)
        .send(body);
      expectProblem(created, status, code);
      expect(await countRequests(t, 'resident-1')).toBe(before);
      const r = await createRequest(t);
      const before2 = await snapshot(t, r.id);
      const event = await t.http
        .post(`/api/v1/requests/${r.id}/events`)
        .set(await t.as('secretary-1'))
        .set('Content-Type', contentType)
        .send(body);
      expect(event.status).toBe(status);
      expect(event.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await snapshot(t, r.id)).toEqual(before2);
    });

    it('a body over 64 kb answers 413', async () => {
      const title = uniqueTitle('超大请求');
      const created = await t.http
        .post('/api/v1/requests')
        .set(await t.as('resident-1'))
        .send({ title, description: 'x'.repeat(70 * 1024), category: 'roads' });
      expectProblem(created, 413, 'HTTP.PAYLOAD_TOO_LARGE');
      const r = await createRequest(t);
      await refused(
        r,
        'resident-1',
        { type: 'COMMENT', text: 'y'.repeat(70 * 1024) },
        413,
        'HTTP.PAYLOAD_TOO_LARGE',
      );
      const { items } = await listAll(t, 'resident-1', { state: 'submitted', category: 'roads' });
      expect(items.filter((i) => i.title === title)).toEqual([]);
    });

    it('a body just under the limit is read (and then refused for its field length)', async () => {
      const res = await t.http
        .post('/api/v1/requests')
        .set(await t.as('resident-1'))
        .send({ title: 'ok', description: 'x'.repeat(60 * 1024), category: 'roads' });
      expectProblem(res, 400, 'VALIDATION.FAILED');
    });
  });

  describe('creating a request', () => {
    const valid = { title: '标题', description: '描述', category: 'roads' };

    it.each<[string, Record<string, unknown>, string]>([
      ['no title', { title: undefined }, 'VALIDATION.FAILED'],
      ['an empty title', { title: '' }, 'VALIDATION.FAILED'],
      ['a blank title', { title: '   ' }, 'VALIDATION.FAILED'],
      ['a title of 201 characters', { title: 't'.repeat(201) }, 'VALIDATION.FAILED'],
      ['a numeric title', { title: 42 }, 'VALIDATION.FAILED'],
      ['no description', { description: undefined }, 'VALIDATION.FAILED'],
      ['an empty description', { description: '' }, 'VALIDATION.FAILED'],
      ['a blank description', { description: '\n\t ' }, 'VALIDATION.FAILED'],
      ['a description of 4001 characters', { description: 'd'.repeat(4001) }, 'VALIDATION.FAILED'],
      ['no category', { category: undefined }, 'VALIDATION.FAILED'],
      ['an unknown category', { category: 'space-travel' }, 'REQUEST.INVALID_CATEGORY'],
      ['an unknown priority', { priority: 'asap' }, 'VALIDATION.FAILED'],
      ['an unknown channel', { channel: 'carrier-pigeon' }, 'VALIDATION.FAILED'],
      ['a resident choosing a channel', { channel: 'tea_house' }, 'REQUEST.INVALID_CHANNEL'],
      ['a resident naming a resident', { residentName: '别人' }, 'REQUEST.INVALID_RESIDENT'],
      ['a malformed phone', { residentPhone: '12' }, 'VALIDATION.FAILED'],
      ['a location of 501 characters', { location: 'l'.repeat(501) }, 'VALIDATION.FAILED'],
      ['a branchId that is not a uuid', { branchId: 'branch-1' }, 'VALIDATION.FAILED'],
      ['a branchId of no unit', { branchId: randomUUID() }, 'REQUEST.INVALID_BRANCH'],
      ['an unknown field', { urgency: 'high' }, 'VALIDATION.FAILED'],
      ['a field that belongs to the server', { state: 'closed' }, 'VALIDATION.FAILED'],
    ])('with %s answers 400', async (_what, fields, code) => {
      const marker = uniqueTitle('坏输入');
      const body: Record<string, unknown> = { ...valid, ...fields };
      if (!('title' in fields)) body.title = marker;
      for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
      const before = await countRequests(t, 'resident-1');
      const res = await t.http
        .post('/api/v1/requests')
        .set(await t.as('resident-1'))
        .send(body);
      expectProblem(res, 400, code);
      if (code === 'VALIDATION.FAILED') expect(res.body.errors).toEqual(expect.any(Array));
      expect(await countRequests(t, 'resident-1')).toBe(before);
    });

    it('a branchId that is a department answers 400', async () => {
      const res = await t.http
        .post('/api/v1/requests')
        .set(await t.as('resident-1'))
        .send({ ...valid, branchId: await unitId(t, 'dept-roads') });
      expectProblem(res, 400, 'REQUEST.INVALID_BRANCH');
    });

    it('the boundaries themselves are accepted', async () => {
      const r = await createRequest(t, 'resident-1', {
        title: uniqueTitle('边界').padEnd(200, 't'),
        description: 'd'.repeat(4000),
        location: 'l'.repeat(500),
        priority: 'urgent',
      });
      expect(r.title).toHaveLength(200);
      expect(r.description).toHaveLength(4000);
      expect(r.priority).toBe('urgent');
    });
  });

  describe('event payloads', () => {
    let submitted: RequestBody;
    let accepted: RequestBody;
    let escalated: RequestBody;
    let assigned: RequestBody;
    let resolved: RequestBody;
    let rejected: RequestBody;
    const fixtures = {} as Record<
      'submitted' | 'accepted' | 'escalated' | 'assigned' | 'resolved' | 'rejected',
      RequestBody
    >;

    beforeAll(async () => {
      [submitted, accepted, escalated, assigned, resolved, rejected] = await Promise.all([
        driveTo(t, 'submitted'),
        driveTo(t, 'accepted'),
        driveTo(t, 'escalated'),
        driveTo(t, 'assigned'),
        driveTo(t, 'resolvedAtBranch'),
        driveTo(t, 'rejected'),
      ]);
      Object.assign(fixtures, { submitted, accepted, escalated, assigned, resolved, rejected });
    });

    type Case = [string, () => RequestBody, string, () => unknown, string];
    const cases: Case[] = [
      ['no type', () => submitted, 'secretary-1', () => ({}), 'REQUEST.UNKNOWN_EVENT'],
      [
        'an unknown type',
        () => submitted,
        'secretary-1',
        () => ({ type: 'APPROVE' }),
        'REQUEST.UNKNOWN_EVENT',
      ],
      [
        'a lower-case type',
        () => submitted,
        'secretary-1',
        () => ({ type: 'accept' }),
        'REQUEST.UNKNOWN_EVENT',
      ],
      [
        'a numeric type',
        () => submitted,
        'secretary-1',
        () => ({ type: 1 }),
        'REQUEST.UNKNOWN_EVENT',
      ],
      [
        'ACCEPT with an unknown field',
        () => submitted,
        'secretary-1',
        () => ({ type: 'ACCEPT', force: true }),
        'VALIDATION.FAILED',
      ],
      [
        'REJECT with a numeric reason',
        () => submitted,
        'secretary-1',
        () => ({ type: 'REJECT', reason: 7 }),
        'VALIDATION.FAILED',
      ],
      [
        'RETURN without a branch',
        () => submitted,
        'secretary-1',
        () => ({ type: 'RETURN', reason: '错村' }),
        'VALIDATION.FAILED',
      ],
      [
        'RETURN to a non-uuid',
        () => submitted,
        'secretary-1',
        () => ({ type: 'RETURN', reason: '错村', branchId: 'branch-2' }),
        'VALIDATION.FAILED',
      ],
      [
        'RETURN to an unknown unit',
        () => submitted,
        'secretary-1',
        () => ({ type: 'RETURN', reason: '错村', branchId: randomUUID() }),
        'REQUEST.INVALID_TARGET',
      ],
      [
        'RETURN to a department',
        () => submitted,
        'secretary-1',
        async () => ({ type: 'RETURN', reason: '错村', branchId: await unitId(t, 'dept-roads') }),
        'REQUEST.INVALID_TARGET',
      ],
      [
        'COMMENT with an object as text',
        () => submitted,
        'resident-1',
        () => ({ type: 'COMMENT', text: { zh: '你好' } }),
        'VALIDATION.FAILED',
      ],
      [
        'REQUEST_EXTENSION until the past',
        () => accepted,
        'secretary-1',
        () => ({ type: 'REQUEST_EXTENSION', until: '2020-01-01T00:00:00Z', reason: '延期' }),
        'VALIDATION.FAILED',
      ],
      [
        'REQUEST_EXTENSION until not a date',
        () => accepted,
        'secretary-1',
        () => ({ type: 'REQUEST_EXTENSION', until: 'next week', reason: '延期' }),
        'VALIDATION.FAILED',
      ],
      [
        'REQUEST_EXTENSION until an impossible date',
        () => accepted,
        'secretary-1',
        () => ({ type: 'REQUEST_EXTENSION', until: '2099-02-30T00:00:00Z', reason: '延期' }),
        'VALIDATION.FAILED',
      ],
      [
        'REQUEST_EXTENSION until a number',
        () => accepted,
        'secretary-1',
        () => ({ type: 'REQUEST_EXTENSION', until: 4102444800000, reason: '延期' }),
        'VALIDATION.FAILED',
      ],
      [
        'ASSIGN without a unit',
        () => escalated,
        'dispatcher',
        () => ({ type: 'ASSIGN' }),
        'VALIDATION.FAILED',
      ],
      [
        'ASSIGN to a non-uuid',
        () => escalated,
        'dispatcher',
        () => ({ type: 'ASSIGN', assigneeUnitId: 'dept-roads' }),
        'VALIDATION.FAILED',
      ],
      [
        'ASSIGN to an unknown unit',
        () => escalated,
        'dispatcher',
        () => ({ type: 'ASSIGN', assigneeUnitId: randomUUID() }),
        'REQUEST.INVALID_TARGET',
      ],
      [
        'ASSIGN to the town itself',
        () => escalated,
        'dispatcher',
        async () => ({ type: 'ASSIGN', assigneeUnitId: await unitId(t, 'xianxiang') }),
        'REQUEST.INVALID_TARGET',
      ],
      [
        'ASSIGN to a user who is not an assignee',
        () => escalated,
        'dispatcher',
        async () => ({
          type: 'ASSIGN',
          assigneeUnitId: await unitId(t, 'dept-roads'),
          assigneeUserId: await userId(t, 'resident-1'),
        }),
        'REQUEST.INVALID_TARGET',
      ],
      [
        'ASSIGN to an assignee of another unit',
        () => escalated,
        'dispatcher',
        async () => ({
          type: 'ASSIGN',
          assigneeUnitId: await unitId(t, 'dept-roads'),
          assigneeUserId: await userId(t, 'env-officer'),
        }),
        'REQUEST.INVALID_TARGET',
      ],
      [
        'ASSIGN to an unknown user',
        () => escalated,
        'dispatcher',
        async () => ({
          type: 'ASSIGN',
          assigneeUnitId: await unitId(t, 'dept-roads'),
          assigneeUserId: randomUUID(),
        }),
        'REQUEST.INVALID_TARGET',
      ],
      [
        'REASSIGN to a non-uuid',
        () => assigned,
        'dispatcher',
        () => ({ type: 'REASSIGN', assigneeUnitId: 42 }),
        'VALIDATION.FAILED',
      ],
      [
        'DECIDE_EXTENSION without a decision',
        () => assigned,
        'town-supervisor',
        () => ({ type: 'DECIDE_EXTENSION' }),
        'VALIDATION.FAILED',
      ],
      [
        'DECIDE_EXTENSION with approve "yes"',
        () => assigned,
        'town-supervisor',
        () => ({ type: 'DECIDE_EXTENSION', approve: 'yes' }),
        'VALIDATION.FAILED',
      ],
      [
        'CONFIRM without a rating',
        () => resolved,
        'resident-1',
        () => ({ type: 'CONFIRM' }),
        'VALIDATION.FAILED',
      ],
      [
        'CONFIRM with rating 0',
        () => resolved,
        'resident-1',
        () => ({ type: 'CONFIRM', rating: 0 }),
        'VALIDATION.FAILED',
      ],
      [
        'CONFIRM with rating 6',
        () => resolved,
        'resident-1',
        () => ({ type: 'CONFIRM', rating: 6 }),
        'VALIDATION.FAILED',
      ],
      [
        'CONFIRM with rating 2.5',
        () => resolved,
        'resident-1',
        () => ({ type: 'CONFIRM', rating: 2.5 }),
        'VALIDATION.FAILED',
      ],
      [
        'CONFIRM with rating "5"',
        () => resolved,
        'resident-1',
        () => ({ type: 'CONFIRM', rating: '5' }),
        'VALIDATION.FAILED',
      ],
      [
        'CONFIRM with rating -1',
        () => resolved,
        'resident-1',
        () => ({ type: 'CONFIRM', rating: -1 }),
        'VALIDATION.FAILED',
      ],
      [
        'CLOSE with satisfied "yes"',
        () => resolved,
        'secretary-1',
        () => ({ type: 'CLOSE', note: '回访', satisfied: 'yes' }),
        'VALIDATION.FAILED',
      ],
      [
        'CLOSE with an unknown field',
        () => resolved,
        'secretary-1',
        () => ({ type: 'CLOSE', note: '回访', rating: 5 }),
        'VALIDATION.FAILED',
      ],
      [
        'DEADLINE_BREACHED without a clock',
        () => submitted,
        'admin',
        () => ({ type: 'DEADLINE_BREACHED' }),
        'VALIDATION.FAILED',
      ],
    ];

    /** Every text field of every event: missing, empty, blank and too long. */
    type Fixture = 'submitted' | 'accepted' | 'escalated' | 'assigned' | 'resolved' | 'rejected';
    const TEXT_FIELDS: [string, string, boolean, Fixture, string, () => Promise<EventBody>][] = [
      [
        'REJECT',
        'reason',
        true,
        'submitted',
        'secretary-1',
        () => Promise.resolve({ type: 'REJECT' }),
      ],
      [
        'RETURN',
        'reason',
        true,
        'submitted',
        'secretary-1',
        async () => ({ type: 'RETURN', branchId: await unitId(t, 'branch-2') }),
      ],
      [
        'ESCALATE',
        'reason',
        true,
        'accepted',
        'secretary-1',
        () => Promise.resolve({ type: 'ESCALATE' }),
      ],
      ['HOLD', 'reason', true, 'accepted', 'secretary-1', () => Promise.resolve({ type: 'HOLD' })],
      [
        'RESOLVE',
        'resolution',
        true,
        'accepted',
        'secretary-1',
        () => Promise.resolve({ type: 'RESOLVE' }),
      ],
      [
        'REQUEST_EXTENSION',
        'reason',
        true,
        'accepted',
        'secretary-1',
        () => Promise.resolve({ type: 'REQUEST_EXTENSION', until: '2099-01-01T00:00:00Z' }),
      ],
      [
        'REOPEN',
        'reason',
        true,
        'rejected',
        'town-supervisor',
        () => Promise.resolve({ type: 'REOPEN' }),
      ],
      [
        'DISPUTE',
        'comment',
        true,
        'resolved',
        'resident-1',
        () => Promise.resolve({ type: 'DISPUTE' }),
      ],
      ['CLOSE', 'note', true, 'resolved', 'secretary-1', () => Promise.resolve({ type: 'CLOSE' })],
      [
        'COMMENT',
        'text',
        true,
        'submitted',
        'resident-1',
        () => Promise.resolve({ type: 'COMMENT' }),
      ],
      [
        'WITHDRAW',
        'reason',
        false,
        'submitted',
        'resident-1',
        () => Promise.resolve({ type: 'WITHDRAW' }),
      ],
      [
        'RESUME',
        'reason',
        false,
        'accepted',
        'secretary-1',
        () => Promise.resolve({ type: 'RESUME' }),
      ],
      [
        'ASSIGN',
        'reason',
        false,
        'escalated',
        'dispatcher',
        async () => ({ type: 'ASSIGN', assigneeUnitId: await unitId(t, 'dept-roads') }),
      ],
      [
        'REASSIGN',
        'reason',
        false,
        'assigned',
        'dispatcher',
        async () => ({ type: 'REASSIGN', assigneeUnitId: await unitId(t, 'dept-environment') }),
      ],
      [
        'DECIDE_EXTENSION',
        'comment',
        false,
        'assigned',
        'town-supervisor',
        () => Promise.resolve({ type: 'DECIDE_EXTENSION', approve: true }),
      ],
      [
        'CONFIRM',
        'comment',
        false,
        'resolved',
        'resident-1',
        () => Promise.resolve({ type: 'CONFIRM', rating: 4 }),
      ],
    ];
    const textCases = TEXT_FIELDS.flatMap(([type, field, required, fixture, user, base]) => {
      const variants: [string, unknown, string][] = [
        ['empty', '', 'VALIDATION.FAILED'],
        ['2001 characters', LONG, 'VALIDATION.FAILED'],
        ['a number', 42, 'VALIDATION.FAILED'],
      ];
      if (required) {
        variants.push(['missing', undefined, 'VALIDATION.FAILED']);
        variants.push(['blank', ' \n\t ', 'VALIDATION.FAILED']);
      }
      return variants.map(([what, value, code]) => ({
        type,
        field,
        what,
        fixture,
        user,
        base,
        value,
        code,
      }));
    });

    it.each(textCases)('$type with $field $what answers 400 $code', async (c) => {
      const body: Record<string, unknown> = { ...(await c.base()) };
      if (c.value !== undefined) body[c.field] = c.value;
      const res = await refused(fixtures[c.fixture], c.user, body, 400, c.code);
      expect(res.body.errors).toEqual([{ field: c.field, messages: [expect.any(String)] }]);
    });

    it.each(cases)('%s answers 400', async (_what, request, user, body, code) => {
      const res = await refused(request(), user, await body(), 400, code);
      if (code === 'VALIDATION.FAILED') {
        expect(res.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
        );
      }
    });

    it('the same payloads, made valid, go through (so the 400s above were about the payload)', async () => {
      const ok: [RequestBody, string, EventBody][] = [
        [resolved, 'resident-1', { type: 'CONFIRM', rating: 1, comment: 'c'.repeat(2000) }],
        [
          accepted,
          'secretary-1',
          { type: 'REQUEST_EXTENSION', until: '2099-01-01T00:00:00+08:00', reason: '延期' },
        ],
        [submitted, 'secretary-1', { type: 'REJECT', reason: 'r'.repeat(2000) }],
      ];
      for (const [r, user, event] of ok) {
        expect((await send(t, r.id, user, event)).status).toBe(200);
      }
    });
  });

  describe('every user event, field by field, from the payload declaration', () => {
    type Fixture = 'submitted' | 'accepted' | 'escalated' | 'assigned' | 'resolved' | 'rejected';
    const at = {} as Record<Fixture, RequestBody>;

    beforeAll(async () => {
      const targets: Fixture[] = ['submitted', 'accepted', 'escalated', 'assigned', 'rejected'];
      for (const target of targets) at[target] = await driveTo(t, target);
      at.resolved = await driveTo(t, 'resolvedAtBranch');
    });

    /** Where and by whom each event is sent, with a well-formed body. */
    const BASES: Record<
      (typeof USER_EVENT_TYPES)[number],
      [Fixture, string, () => Record<string, unknown> | Promise<Record<string, unknown>>]
    > = {
      ACCEPT: ['submitted', 'secretary-1', () => ({})],
      REJECT: ['submitted', 'secretary-1', () => ({ reason: '不属实' })],
      RETURN: [
        'submitted',
        'secretary-1',
        async () => ({ reason: '错村', branchId: await unitId(t, 'branch-2') }),
      ],
      ESCALATE: ['accepted', 'secretary-1', () => ({ reason: '需要镇里' })],
      ASSIGN: [
        'escalated',
        'dispatcher',
        async () => ({ assigneeUnitId: await unitId(t, 'dept-roads') }),
      ],
      REASSIGN: [
        'assigned',
        'dispatcher',
        async () => ({ assigneeUnitId: await unitId(t, 'dept-environment') }),
      ],
      RESOLVE: ['accepted', 'secretary-1', () => ({ resolution: '已修好' })],
      HOLD: ['accepted', 'secretary-1', () => ({ reason: '等材料' })],
      RESUME: ['accepted', 'secretary-1', () => ({})],
      REQUEST_EXTENSION: [
        'accepted',
        'secretary-1',
        () => ({ until: '2099-01-01T17:30:00+08:00', reason: '等材料' }),
      ],
      DECIDE_EXTENSION: ['assigned', 'town-supervisor', () => ({ approve: true })],
      CONFIRM: ['resolved', 'resident-1', () => ({ rating: 4 })],
      DISPUTE: ['resolved', 'resident-1', () => ({ comment: '没修好' })],
      CLOSE: ['resolved', 'secretary-1', () => ({ note: '回访满意' })],
      WITHDRAW: ['submitted', 'resident-1', () => ({})],
      COMMENT: ['submitted', 'resident-1', () => ({ text: '补充' })],
      REOPEN: ['rejected', 'town-supervisor', () => ({ reason: '误驳回' })],
      PROPOSE_PLAN: [
        'accepted',
        'secretary-1',
        () => ({
          milestones: [
            { name: '立项', due: '2099-01-01T17:30:00+08:00' },
            { name: '竣工', due: '2099-06-01T17:30:00+08:00' },
          ],
          reason: '道路工程',
        }),
      ],
      DECIDE_PLAN: ['assigned', 'town-supervisor', () => ({ approve: true })],
      MILESTONE_DONE: ['accepted', 'secretary-1', () => ({ milestone: 1, note: '已立项' })],
      MERGE: ['submitted', 'secretary-1', () => ({ intoRequestId: at.accepted.id })],
    };

    /** Wrong values for each kind of field; text has its own table above. */
    const WRONG: Record<FieldKind, [string, unknown][]> = {
      text: [
        ['empty', ''],
        ['blank', ' \t '],
        ['too long', LONG],
        ['a number', 42],
      ],
      id: [
        ['not a UUID', 'branch-2'],
        ['a number', 42],
      ],
      timestamp: [
        ['words', 'next week'],
        ['without an offset', '2099-01-01T17:30:00'],
        ['a number', 4102444800000],
      ],
      rating: [
        ['"5"', '5'],
        ['0', 0],
        ['2.5', 2.5],
      ],
      boolean: [
        ['"yes"', 'yes'],
        ['1', 1],
      ],
      clock: [['bogus', 'bogus']],
      fraction: [['2', 2]],
      milestone: [
        ['0', 0],
        ['13', 13],
        ['"1"', '1'],
      ],
      milestones: [
        ['empty', []],
        ['not a list', '立项'],
        ['13 of them', Array.from({ length: 13 }, (_, i) => ({ name: `${i}`, due: '2099-01-01' }))],
      ],
      attachments: [
        ['not a list', '6f1c2d9e-0000-4000-8000-000000000001'],
        ['not UUIDs', ['photo.jpg']],
        ['naming one twice', [SOME_ID, SOME_ID]],
        ['too long', Array.from({ length: 51 }, (_, i) => uuidOf(i))],
      ],
    };

    const rows = USER_EVENT_TYPES.flatMap((type) => [
      ...payloadFields(type).flatMap(([field, rule]) => [
        ...(rule.optional ? [] : [{ type, field, what: 'missing', value: undefined as unknown }]),
        ...WRONG[rule.kind].map(([what, value]) => ({ type, field, what, value })),
      ]),
      { type, field: 'force', what: 'an unknown field', value: true },
    ]);

    it.each(rows)(
      '$type with $field $what: 400 VALIDATION.FAILED naming $field',
      async ({ type, field, value }) => {
        const [fixture, user, base] = BASES[type];
        const body: Record<string, unknown> = { type, ...(await base()) };
        if (value === undefined) delete body[field];
        else body[field] = value;
        const res = await refused(at[fixture], user, body, 400, 'VALIDATION.FAILED');
        expect(res.body.errors).toEqual([{ field, messages: [expect.any(String)] }]);
      },
    );
  });

  describe('until, own branch and internal notes', () => {
    let cal: WorkingCalendar;

    beforeAll(async () => {
      cal = (
        await t.http
          .get('/api/v1/calendar')
          .set(await t.as('admin'))
          .expect(200)
      ).body as WorkingCalendar;
    });

    /** The first local date from `days` ahead that `pick` likes. */
    function dateAhead(days: number, pick: (date: string) => boolean): string {
      for (let d = days; d < days + 400; d++) {
        const date = localDateOf(new Date(Date.now() + d * 86_400_000));
        if (pick(date)) return date;
      }
      throw new Error('no such date within 400 days');
    }

    async function askUntil(r: RequestBody, until: unknown) {
      return send(t, r.id, 'secretary-1', { type: 'REQUEST_EXTENSION', until, reason: '等材料' });
    }

    it('a working date means the end of that working day in Asia/Shanghai', async () => {
      const r = await driveTo(t, 'accepted');
      const date = dateAhead(14, (d) => isWorkingDay(cal, d));
      const end = localTimestampOf(endOfWorkingDay(cal, date) as Date);
      expect(end).toMatch(new RegExp(`^${date}T\\d{2}:\\d{2}:00\\+08:00$`));
      const res = await askUntil(r, date);
      expect(res.status).toBe(200);
      expect(res.body.extensionRequested).toEqual({ until: end, reason: '等材料' });
      expect((await timeline(t, r.id)).at(-1)?.payload).toEqual({
        until: end,
        untilDate: date,
        reason: '等材料',
      });
    });

    it('a timestamp with an offset is kept as sent', async () => {
      const r = await driveTo(t, 'accepted');
      const res = await askUntil(r, '2099-01-01T12:00:00+08:00');
      expect(res.body.extensionRequested.until).toBe('2099-01-01T12:00:00+08:00');
    });

    it.each<[string, (cal: WorkingCalendar) => unknown, RegExp]>([
      [
        'a date that is not a working day',
        (c) => dateAhead(14, (d) => !isWorkingDay(c, d)),
        /is not a working day/,
      ],
      [
        'a working day that has passed',
        (c) => dateAhead(-60, (d) => isWorkingDay(c, d)),
        /ended at .* give a later one/,
      ],
      ['garbage', () => 'soon', /a date \(YYYY-MM-DD\) or a timestamp with an offset/],
      [
        'a timestamp without an offset',
        () => '2099-01-01T17:30:00',
        /a date \(YYYY-MM-DD\) or a timestamp with an offset/,
      ],
      ['a date that does not exist', () => '2099-02-30', /a date \(YYYY-MM-DD\)/],
    ])('until as %s answers 400 naming until', async (_what, until, message) => {
      const r = await driveTo(t, 'accepted');
      const before = await snapshot(t, r.id);
      const res = await askUntil(r, until(cal));
      expectProblem(res, 400, 'VALIDATION.FAILED');
      expect(res.body.errors).toEqual([
        { field: 'until', messages: [expect.stringMatching(message)] },
      ]);
      expect(await snapshot(t, r.id)).toEqual(before);
    });

    it('RETURN to the branch the request is at names branchId', async () => {
      const r = await driveTo(t, 'submitted');
      const res = await refused(
        r,
        'secretary-1',
        { type: 'RETURN', reason: '错村', branchId: await unitId(t, 'branch-1') },
        400,
        'VALIDATION.FAILED',
      );
      expect(res.body.errors).toEqual([
        { field: 'branchId', messages: ['the request is already at this branch'] },
      ]);
    });

    it('only staff may mark a comment internal: a resident gets 400 naming internal', async () => {
      const r = await driveTo(t, 'submitted');
      const res = await refused(
        r,
        'resident-1',
        { type: 'COMMENT', text: '我也想内部', internal: true },
        400,
        'VALIDATION.FAILED',
      );
      expect(res.body.errors).toEqual([
        { field: 'internal', messages: ['only staff may set internal'] },
      ]);
      expect(
        (await send(t, r.id, 'resident-1', { type: 'COMMENT', text: '公开', internal: false }))
          .status,
      ).toBe(200);
      expect(
        (await send(t, r.id, 'secretary-1', { type: 'COMMENT', text: '内部', internal: true }))
          .status,
      ).toBe(200);
    });
  });

  describe('ids in the path', () => {
    it.each([
      ['get', '/api/v1/requests/not-a-uuid'],
      ['get', '/api/v1/requests/not-a-uuid/events'],
      ['post', '/api/v1/requests/12345/events'],
      ['get', '/api/v1/units/branch-1'],
      ['get', '/api/v1/categories/roads'],
    ] as const)('%s %s answers 400', async (method, url) => {
      const res = await t.http[method](url)
        .set(await t.as('admin'))
        .send({ type: 'COMMENT', text: 'x' });
      expectProblem(res, 400, 'HTTP.BAD_REQUEST');
    });

    it('an unknown id answers 404', async () => {
      const id = randomUUID();
      const admin = await t.as('admin');
      expectProblem(
        await t.http.get(`/api/v1/requests/${id}`).set(admin),
        404,
        'REQUEST.NOT_FOUND',
      );
      expectProblem(
        await t.http.get(`/api/v1/requests/${id}/events`).set(admin),
        404,
        'REQUEST.NOT_FOUND',
      );
      expectProblem(
        await t.http
          .post(`/api/v1/requests/${id}/events`)
          .set(admin)
          .send({ type: 'COMMENT', text: 'x' }),
        404,
        'REQUEST.NOT_FOUND',
      );
      expectProblem(await t.http.get(`/api/v1/units/${id}`).set(admin), 404, 'UNIT.NOT_FOUND');
      expectProblem(
        await t.http.get(`/api/v1/categories/${id}`).set(admin),
        404,
        'CATEGORY.NOT_FOUND',
      );
      expectProblem(await t.http.get(`/api/v1/users/${id}`).set(admin), 404, 'USER.NOT_FOUND');
    });

    it('an unknown route answers 404 as problem+json', async () => {
      const res = await t.http.get('/api/v1/nothing-here').set(await t.as('admin'));
      expectProblem(res, 404, 'HTTP.NOT_FOUND');
    });
  });

  describe('list queries', () => {
    it.each([
      { state: 'open' },
      { state: 'submitted,bogus' },
      { page: '0' },
      { page: 'x' },
      { pageSize: '101' },
      { pageSize: '1.5' },
      { branchId: 'branch-1' },
      { overdue: 'maybe' },
      { sort: 'title' },
      { q: '路' },
      { sort: 'dueAt,createdAt' },
      { escalationLevel: '11' },
      { extensionPending: 'yes' },
    ])('GET /requests?%o answers 400', async (query) => {
      const res = await t.http
        .get('/api/v1/requests')
        .query(query)
        .set(await t.as('admin'));
      expectProblem(res, 400, 'VALIDATION.FAILED');
    });
  });

  describe('one guard for every input: NUL, bidi controls, lone surrogates, deep JSON', () => {
    interface Operation {
      method: 'post' | 'put' | 'patch';
      path: string;
      body: Schema | undefined;
    }
    interface Schema {
      $ref?: string;
      type?: string;
      format?: string;
      example?: unknown;
      enum?: unknown[];
      oneOf?: Schema[];
      required?: string[];
      properties?: Record<string, Schema>;
      items?: Schema;
    }

    let operations: Operation[];
    let schemas: Record<string, Schema>;
    let db: Client;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body as {
        paths: Record<
          string,
          Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>
        >;
        components: { schemas: Record<string, Schema> };
      };
      schemas = doc.components.schemas;
      operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([method]) => ['post', 'put', 'patch'].includes(method))
          .map(([method, op]) => ({
            method: method as Operation['method'],
            path,
            body: op.requestBody?.content['application/json']?.schema,
          })),
      );
      // Real targets for the path parameters, all created here, so a write that got through would
      // land on this suite's own rows.
      const admin = await t.as('admin');
      ids.requests = (await createRequest(t)).id;
      ids.units = (
        await t.http
          .post('/api/v1/units')
          .set(admin)
          .send({
            code: uniqueCode('guard-dept'),
            name: '守门办',
            type: 'department',
            parentId: await unitId(t, 'xianxiang'),
          })
          .expect(201)
      ).body.id;
      ids.users = (await createUser(t, 'resident', 'branch-3')).id;
      const category = await t.http
        .post('/api/v1/categories')
        .set(admin)
        .send({ code: uniqueCode('guard'), name: '守门', nameEn: 'Guard' })
        .expect(201);
      ids.categories = category.body.id;
      ids.category = category.body.code;
      db = new Client({ connectionString: TEST_DATABASE_URL });
      await db.connect();
    });

    afterAll(() => db.end());

    /** A body the operation's schema describes: examples where given, else the required fields. */
    function sample(schema: Schema | undefined): unknown {
      if (!schema) return { note: 'x' };
      if (schema.$ref) return sample(schemas[schema.$ref.split('/').pop() as string]);
      if (schema.example !== undefined) return schema.example;
      if (schema.enum) return schema.enum[0];
      if (schema.oneOf) return sample(schema.oneOf[0]);
      if (schema.type === 'array') return [sample(schema.items)];
      if (schema.type === 'integer' || schema.type === 'number') return 1;
      if (schema.type === 'boolean') return true;
      if (schema.type === 'string') return schema.format === 'uuid' ? randomUUID() : 'x';
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([key, p]) => schema.required?.includes(key) || p.example !== undefined)
          .map(([key, p]) => [key, sample(p)]),
      );
    }

    /** Every string of a body, at any depth, with `mark` appended (a note when it has none). */
    function marked(value: unknown, mark: string): unknown {
      const walk = (v: unknown): unknown =>
        typeof v === 'string'
          ? `${v}${mark}`
          : Array.isArray(v)
            ? v.map(walk)
            : typeof v === 'object' && v !== null
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
              : v;
      const out = walk(value);
      return JSON.stringify(out).includes(JSON.stringify(mark).slice(1, -1))
        ? out
        : { ...(out as object), note: `x${mark}` };
    }

    const nested = (depth: number): unknown => {
      let v: unknown = 'bottom';
      for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
      return v;
    };

    const PAYLOADS: [string, (body: unknown) => unknown, string][] = [
      ['a NUL in every string', (b) => marked(b, '\u0000'), 'HTTP.INVALID_CHARACTERS'],
      ['a NUL in a key', (b) => ({ ...(b as object), 'k\u0000': 'v' }), 'HTTP.INVALID_CHARACTERS'],
      ['a lone high surrogate', (b) => marked(b, '\ud800'), 'HTTP.INVALID_CHARACTERS'],
      ['a lone low surrogate', (b) => marked(b, '\udc00x'), 'HTTP.INVALID_CHARACTERS'],
      ['a right-to-left override', (b) => marked(b, '\u202e'), 'HTTP.INVALID_CHARACTERS'],
      ['a bidi isolate', (b) => marked(b, '\u2066'), 'HTTP.INVALID_CHARACTERS'],
      ['a left-to-right mark', (b) => marked(b, '\u200e'), 'HTTP.INVALID_CHARACTERS'],
      ['an Arabic letter mark', (b) => marked(b, '\u061c'), 'HTTP.INVALID_CHARACTERS'],
      [
        'JSON 33 levels deep',
        (b) => ({ ...(b as object), deep: nested(33) }),
        'HTTP.JSON_TOO_DEEP',
      ],
    ];

    /** Every row of every table, hashed: a refused call must leave all of them as they were. */
    async function fingerprint(): Promise<Record<string, string>> {
      const { rows } = await db.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
      );
      const out: Record<string, string> = {};
      for (const { name } of rows) {
        const [row] = (
          await db.query<{ h: string }>(
            `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${name}" t`,
          )
        ).rows;
        out[name] = row.h;
      }
      return out;
    }

    function target(op: Operation): { url: string; user: string | null } {
      const resource = op.path.split('/')[3];
      const url = op.path
        .replace('{id}', ids[resource] ?? randomUUID())
        .replace('{category}', ids.category)
        .replace('{priority}', 'normal');
      const user = op.path.endsWith('/auth/login')
        ? null
        : resource === 'requests' || resource === 'me'
          ? 'resident-1'
          : 'admin';
      return { url, user };
    }

    async function call(op: Operation, body: string | object) {
      const { url, user } = target(op);
      return t.http[op.method](url)
        .set(user ? await t.as(user) : {})
        .set('Content-Type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));
    }

    it('sends each payload to every POST, PUT and PATCH of /docs-json: 400, never 500, nothing written', async () => {
      expect(operations.length).toBeGreaterThanOrEqual(15);
      const before = await fingerprint();
      const outcomes: string[] = [];
      for (const op of operations) {
        for (const [name, payload, code] of PAYLOADS) {
          const res = await call(op, payload(sample(op.body)) as object);
          const seen = `${op.method} ${op.path} with ${name} → ${res.status} ${res.body.code}`;
          if (res.status !== 400 || res.body.code !== code) outcomes.push(seen);
        }
      }
      expect(outcomes).toEqual([]);
      expect(await fingerprint()).toEqual(before);
    });

    it('names the field, and refuses a document 30 000 levels deep without running out of stack', async () => {
      const create = operations.find((o) => o.method === 'post' && o.path === '/api/v1/requests');
      if (!create) throw new Error('no POST /api/v1/requests in /docs-json');
      const named = await call(create, {
        ...(sample(create.body) as object),
        title: '路灯\u202e坏了',
      });
      expectProblem(named, 400, 'HTTP.INVALID_CHARACTERS');
      expect(named.body).toMatchObject({
        field: 'body.title',
        detail: expect.stringContaining('U+202E'),
      });
      const key = await call(create, { items: [{ 'a\u0000': 1 }] });
      expect(key.body).toMatchObject({
        code: 'HTTP.INVALID_CHARACTERS',
        field: 'a key of body.items[0]',
      });
      const deep = '['.repeat(30_000) + ']'.repeat(30_000);
      for (const op of operations) expectProblem(await call(op, deep), 400, 'HTTP.JSON_TOO_DEEP');
      // 32 levels are still read (and then judged by the operation's own rules).
      const ok = await call(create, { ...(sample(create.body) as object), deep: nested(31) });
      expectProblem(ok, 400, 'VALIDATION.FAILED');
    });

    it('an iCalendar import (text) with a NUL is refused the same way', async () => {
      const res = await t.http
        .post('/api/v1/calendar/import')
        .set(await t.as('admin'))
        .set('Content-Type', 'text/calendar')
        .send('BEGIN:VCALENDAR\r\nSUMMARY:\u0000\r\nEND:VCALENDAR\r\n');
      expectProblem(res, 400, 'HTTP.INVALID_CHARACTERS');
      expect(res.body.field).toBe('body');
    });

    it.each([
      ['/api/v1/requests?category=roads%00', 'query.category'],
      ['/api/v1/requests?category=%E2%80%AEroads', 'query.category'],
      ['/api/v1/requests?state=submitted&state=%00', 'query.state[1]'],
      ['/api/v1/requests?%E2%81%A6=1', 'a key of query'],
      ['/api/v1/units/%00', 'the path'],
      ['/api/v1/requests/%E2%80%AE', 'the path'],
      ['/health?x=%00', 'query.x'],
    ])('GET %s answers 400 naming %s', async (url, field) => {
      const res = await t.http.get(url).set(await t.as('admin'));
      expectProblem(res, 400, 'HTTP.INVALID_CHARACTERS');
      expect(res.body.field).toBe(field);
    });

    it('ordinary Chinese text, emoji (surrogate pairs) and line breaks pass', async () => {
      const r = await createRequest(t, 'resident-1', {
        title: uniqueTitle('路灯不亮 🚧'),
        description: '第一行\n第二行\t（已拍照 📷）',
      });
      expect(r.description).toBe('第一行\n第二行\t（已拍照 📷）');
    });
  });

  describe('every page and pageSize is a bounded integer', () => {
    let lists: string[];

    beforeAll(async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
      };
      lists = Object.entries(doc.paths)
        .filter(([, ops]) =>
          ops.get?.parameters?.some((p) => p.in === 'query' && p.name === 'page'),
        )
        .map(([path]) => path);
    });

    it('the lists found in /docs-json are the paged ones', () => {
      expect(lists.sort()).toEqual([
        '/api/v1/me/notifications',
        '/api/v1/requests',
        '/api/v1/supervision/overdue',
      ]);
    });

    it.each([
      'page=1e9',
      'page=-1',
      'page=0',
      'page=1.5',
      'page=0x10',
      'page=%201',
      'page=10001',
      'page=99999999999999999999',
      'page[]=1',
      'page=1&page=2',
      'pageSize=99999',
      'pageSize=0',
      'pageSize=1e1',
      'pageSize=10&pageSize=20',
    ])('?%s answers 400 on every list', async (query) => {
      for (const path of lists) {
        const res = await t.http.get(`${path}?${query}`).set(await t.as('admin'));
        expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION.FAILED']);
      }
    });

    it('the bounds themselves are accepted', async () => {
      for (const path of lists) {
        const res = await t.http.get(`${path}?page=10000&pageSize=1`).set(await t.as('admin'));
        expect([path, res.status, res.body.page]).toEqual([path, 200, 10000]);
      }
    });
  });

  describe('the working calendar is bounded and always has working days', () => {
    let original: Record<string, unknown>;
    const limits = limitsAt(new Date());
    const admin = () => t.as('admin');
    const calendar = async () =>
      (
        await t.http
          .get('/api/v1/calendar')
          .set(await admin())
          .expect(200)
      ).body as Record<string, unknown>;
    const day = (offset: number) => localDateOf(new Date(Date.now() + offset * 86_400_000));

    beforeAll(async () => {
      original = await calendar();
    });

    afterEach(async () => {
      // The database is shared: put the calendar back whatever happened.
      const { workingHours, weekendDays, holidays, makeupWorkdays } = original;
      await t.http
        .put('/api/v1/calendar')
        .set(await admin())
        .send({ workingHours, weekendDays, holidays, makeupWorkdays })
        .expect(200);
    });

    async function refused(
      method: 'put' | 'post',
      url: string,
      body: string | object,
      detail: RegExp,
    ) {
      const before = await calendar();
      const req = t.http[method](url).set(await admin());
      const res =
        typeof body === 'string'
          ? await req.set('Content-Type', 'text/calendar').send(body)
          : await req.send(body);
      expectProblem(res, 400, 'CALENDAR.INVALID');
      expect(res.body.detail).toMatch(detail);
      expect(await calendar()).toEqual(before);
    }

    const ics = (...lines: string[]) =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        ...lines,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');

    it('a week of weekend days, or no working hours, answers 400 CALENDAR.INVALID', async () => {
      await refused(
        'put',
        '/api/v1/calendar',
        { weekendDays: [1, 2, 3, 4, 5, 6, 7] },
        /whole week/,
      );
      await refused(
        'put',
        '/api/v1/calendar',
        { weekendDays: [7, 6, 5, 4, 3, 2, 1], makeupWorkdays: [day(1)] },
        /whole week/,
      );
      await refused('put', '/api/v1/calendar', { workingHours: [] }, /non-empty/);
    });

    it('holidays that leave no working day for over a year answer 400', async () => {
      const weekdays = Array.from({ length: 400 }, (_, i) => day(i)).filter((d) => {
        const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
        return weekday !== 0 && weekday !== 6;
      });
      await refused(
        'put',
        '/api/v1/calendar',
        { weekendDays: [6, 7], makeupWorkdays: [], holidays: weekdays },
        /no working day for more than 366 days/,
      );
    });

    it.each([
      [
        'holidays',
        { holidays: ['2026-10-01', '2099-10-01'] },
        /holidays\[1\]: 2099-10-01 is outside/,
      ],
      [
        'make-up days',
        { makeupWorkdays: ['1999-09-27'] },
        /makeupWorkdays\[0\]: 1999-09-27 is outside/,
      ],
    ])('%s outside five years of today answer 400 and say so', async (_, body, detail) => {
      await refused('put', '/api/v1/calendar', body, detail);
      await refused('post', '/api/v1/calendar/import', body, detail);
      await refused(
        'put',
        '/api/v1/calendar',
        body,
        new RegExp(
          `${limits.window.first}\\.\\.${limits.window.last} \\(holidays and make-up days must lie within 5 years of today\\)`,
        ),
      );
    });

    it('more than 1000 holidays and make-up days answer 400, also when an import adds up to it', async () => {
      const many = Array.from({ length: 1001 }, (_, i) => day(i));
      await refused('put', '/api/v1/calendar', { holidays: many }, /at most 1000/);
      await refused(
        'put',
        '/api/v1/calendar',
        { holidays: many.slice(0, 500), makeupWorkdays: many.slice(500) },
        /at most 1000/,
      );
      // Weekend days only, from the start of the window: the weekdays keep working.
      const weekends: string[] = [];
      for (let d = parseLocalDate(limits.window.first) as number; weekends.length < 1001; d++) {
        const date = new Date(d * 86_400_000);
        if (date.getUTCDay() % 6 === 0) weekends.push(date.toISOString().slice(0, 10));
      }
      await t.http
        .put('/api/v1/calendar')
        .set(await admin())
        .send({ holidays: weekends.slice(0, 600), makeupWorkdays: [] })
        .expect(200);
      const before = await calendar();
      const res = await t.http
        .post('/api/v1/calendar/import')
        .set(await admin())
        .send({ holidays: weekends.slice(600) });
      expectProblem(res, 400, 'CALENDAR.INVALID');
      expect(res.body.detail).toMatch(/would hold 1001 dates: at most 1000/);
      expect(await calendar()).toEqual(before);
    });

    it('an iCalendar event outside the window, an endless daily rule, BYDAY or RDATE answers 400', async () => {
      const url = '/api/v1/calendar/import';
      await refused(
        'post',
        url,
        ics('SUMMARY:x', 'DTSTART;VALUE=DATE:20400101'),
        /2040-01-01 is outside/,
      );
      await refused(
        'post',
        url,
        ics('SUMMARY:x', 'DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY'),
        /at most 1000/,
      );
      await refused(
        'post',
        url,
        ics('SUMMARY:x', 'DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=MONTHLY;BYDAY=MO'),
        /BYDAY is not supported/,
      );
      await refused(
        'post',
        url,
        ics('SUMMARY:x', 'DTSTART;VALUE=DATE:20270101', 'RDATE;VALUE=DATE:20270201'),
        /RDATE is not supported/,
      );
    });

    it('a yearly rule that began long ago adds only its dates inside the window', async () => {
      const res = await t.http
        .post('/api/v1/calendar/import')
        .set(await admin())
        .set('Content-Type', 'text/calendar')
        .send(ics('SUMMARY:元旦', 'DTSTART;VALUE=DATE:19900101', 'RRULE:FREQ=YEARLY'));
      expect(res.status).toBe(200);
      const added = (res.body.holidays as string[]).filter(
        (d) => d.endsWith('-01-01') && !(original.holidays as string[]).includes(d),
      );
      const first = Number(limits.window.first.slice(0, 4)) + 1;
      const last = Number(limits.window.last.slice(0, 4));
      expect(added).toEqual(
        Array.from({ length: last - first + 1 }, (_, i) => `${first + i}-01-01`).filter(
          (d) => !(original.holidays as string[]).includes(d),
        ),
      );
    });

    it('GET /calendar gives admins all of it and everyone else this year and next', async () => {
      const year = Number(localDateOf(new Date()).slice(0, 4));
      const holidays = [
        `${year - 1}-10-01`,
        `${year}-10-01`,
        `${year + 1}-10-01`,
        `${year + 2}-10-01`,
      ];
      // A make-up working day is a weekend day: the first Saturday from 27 September.
      const saturday = (y: number) => {
        const d = new Date(Date.UTC(y, 8, 27));
        d.setUTCDate(d.getUTCDate() + ((6 - d.getUTCDay() + 7) % 7));
        return d.toISOString().slice(0, 10);
      };
      const makeupWorkdays = [saturday(year - 1), saturday(year + 1), saturday(year + 3)];
      await t.http
        .put('/api/v1/calendar')
        .set(await admin())
        .send({ holidays, makeupWorkdays })
        .expect(200);
      expect(await calendar()).toMatchObject({
        holidays,
        makeupWorkdays,
        version: expect.any(Number),
      });
      for (const user of ['resident-1', 'secretary-1', 'dispatcher', 'town-supervisor']) {
        const res = await t.http
          .get('/api/v1/calendar')
          .set(await t.as(user))
          .expect(200);
        expect(res.body).toEqual({
          timeZone: 'Asia/Shanghai',
          workingHours: original.workingHours,
          weekendDays: original.weekendDays,
          holidays: [`${year}-10-01`, `${year + 1}-10-01`],
          makeupWorkdays: [saturday(year + 1)],
        });
      }
    });
  });

  describe('Idempotency-Key', () => {
    // Residents of their own, so counting their requests is not disturbed by other tests.
    let a: string;
    let b: string;

    beforeAll(async () => {
      [a, b] = (
        await Promise.all([
          createUser(t, 'resident', 'branch-2'),
          createUser(t, 'resident', 'branch-2'),
        ])
      ).map((u) => u.username);
      await Promise.all([t.token(a), t.token(b)]);
    });

    async function create(
      user: string,
      key: string | undefined,
      body: Record<string, unknown>,
    ): Promise<Response> {
      const headers = {
        ...(await t.as(user)),
        ...(key === undefined ? {} : { 'Idempotency-Key': key }),
      };
      return t.http.post('/api/v1/requests').set(headers).send(body);
    }

    it('the same key and body twice create one request', async () => {
      const before = await countRequests(t, a);
      const body = { title: uniqueTitle('幂等'), description: '重试', category: 'parking' };
      const key = randomUUID();
      const first = await create(a, key, body);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const second = await create(a, key, body);
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await countRequests(t, a)).toBe(before + 1);
      // Without the key, the same body is a new request.
      const third = await create(a, undefined, body);
      expect(third.status).toBe(201);
      expect(third.body.id).not.toBe(first.body.id);
      expect(await countRequests(t, a)).toBe(before + 2);
    });

    it('the same key with another body answers 422 and creates nothing', async () => {
      const key = randomUUID();
      const body = { title: uniqueTitle('幂等'), description: '第一次', category: 'parking' };
      expect((await create(a, key, body)).status).toBe(201);
      const before = await countRequests(t, a);
      const res = await create(a, key, { ...body, description: '第二次' });
      expectProblem(res, 422, 'IDEMPOTENCY.KEY_REUSED');
      expect(await countRequests(t, a)).toBe(before);
    });

    it('ten parallel retries with one key create exactly one request', async () => {
      const before = await countRequests(t, a);
      const key = randomUUID();
      const body = {
        title: uniqueTitle('并发幂等'),
        description: '网络抖动',
        category: 'sanitation',
      };
      const results = await Promise.all(Array.from({ length: 10 }, () => create(a, key, body)));
      expect(results.map((r) => r.status)).toEqual(Array<number>(10).fill(201));
      const ids = new Set(results.map((r) => (r.body as { id: string }).id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
      expect(await countRequests(t, a)).toBe(before + 1);
      const [id] = [...ids];
      const events = await t.http
        .get(`/api/v1/requests/${id}/events`)
        .set(await t.as(a))
        .expect(200);
      expect(events.body.map((e: { type: string }) => e.type)).toEqual(['CREATE']);
    });

    it('keys belong to one user: another user with the same key gets their own request', async () => {
      const key = randomUUID();
      const body = { title: uniqueTitle('同键不同人'), description: 'x', category: 'other' };
      const ra = await create(a, key, body);
      const rb = await create(b, key, body);
      expect([ra.status, rb.status]).toEqual([201, 201]);
      expect(ra.body.id).not.toBe(rb.body.id);
      expect(rb.headers['idempotent-replayed']).toBeUndefined();
    });

    it('a refused creation does not use up its key', async () => {
      const before = await countRequests(t, b);
      const key = randomUUID();
      const bad = await create(b, key, { title: 'x', description: 'y', category: 'no-such' });
      expectProblem(bad, 400, 'REQUEST.INVALID_CATEGORY');
      expect(await countRequests(t, b)).toBe(before);
      const good = await create(b, key, {
        title: uniqueTitle('重试'),
        description: 'y',
        category: 'other',
      });
      expect(good.status).toBe(201);
      expect(good.headers['idempotent-replayed']).toBeUndefined();
      expect(await countRequests(t, b)).toBe(before + 1);
    });

    it.each(['', 'has space', 'k'.repeat(201)])('a malformed key (%j) answers 400', async (key) => {
      const before = await countRequests(t, b);
      const res = await create(b, key, { title: 'x', description: 'y', category: 'other' });
      expectProblem(res, 400, 'HTTP.INVALID_IDEMPOTENCY_KEY');
      expect(await countRequests(t, b)).toBe(before);
    });
  });

  it('every error is application/problem+json with a code and the path', async () => {
    const r = await createRequest(t);
    const res = await send(t, r.id, 'resident-1', { type: 'CONFIRM', rating: 5 });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:closed-loop:problem:request.transition_not_allowed',
      title: 'Conflict',
      status: 409,
      code: 'REQUEST.TRANSITION_NOT_ALLOWED',
      detail: expect.any(String),
      instance: `/api/v1/requests/${r.id}/events`,
      state: 'submitted',
      allowedEvents: ['WITHDRAW', 'COMMENT'],
    });
  });
});
