import type { Response } from 'supertest';
import { localDateOf } from '../../src/modules/calendar/business-time';
import { expectProblem, uniqueCode } from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

/** The first date on or after `from` whose ISO weekday (1 = Monday) is `weekday`. */
function nextWeekday(from: string, weekday: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  const iso = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() + ((weekday - 1 - iso + 7) % 7));
  return d.toISOString().slice(0, 10);
}

const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('calendar checks and single dates', () => {
  let t: TestApp;
  let original: Record<string, unknown>;
  /** Dates next year, so they stay inside the five-year window whenever the suite runs. */
  const year = Number(localDateOf(new Date()).slice(0, 4)) + 1;
  const saturday = nextWeekday(`${year}-03-01`, 6);
  const sunday = plusDays(saturday, 1);
  const monday = plusDays(saturday, 2);
  const nextSaturday = plusDays(saturday, 7);

  const calendar = async () =>
    (
      await t.http
        .get('/api/v1/calendar')
        .set(await t.as('admin'))
        .expect(200)
    ).body as Record<string, unknown> & { holidays: string[]; makeupWorkdays: string[] };

  const call = async (
    method: 'put' | 'delete' | 'post',
    path: string,
    body?: object | string,
    user = 'admin',
  ): Promise<Response> => {
    const req = t.http[method](`/api/v1/calendar${path}`).set(await t.as(user));
    if (typeof body === 'string') return req.set('Content-Type', 'text/calendar').send(body);
    return body ? req.send(body) : req;
  };

  /** Refused with `code`, and the calendar is exactly as it was. */
  async function refused(res: Promise<Response>, status: number, code: string, detail?: RegExp) {
    const before = await calendar();
    const answer = await res;
    expectProblem(answer, status, code);
    if (detail) expect(answer.body.detail).toMatch(detail);
    expect(await calendar()).toEqual(before);
  }

  beforeAll(async () => {
    t = await startTestApp();
    original = await calendar();
  });

  afterEach(async () => {
    // The database is shared: put the calendar back whatever happened.
    const { workingHours, weekendDays, holidays, makeupWorkdays } = original;
    await t.http
      .put('/api/v1/calendar')
      .set(await t.as('admin'))
      .send({ workingHours, weekendDays, holidays, makeupWorkdays })
      .expect(200);
  });

  afterAll(() => stopTestApp(t));

  it('refuses a date that is both a holiday and a make-up working day, however it arrives', async () => {
    const both = /a date cannot be both a holiday and a make-up working day/;
    await refused(
      call('put', '', { holidays: [saturday], makeupWorkdays: [saturday] }),
      400,
      'CALENDAR.INVALID',
      new RegExp(`${saturday}: ${both.source}`),
    );
    await call('put', '', { holidays: [saturday], makeupWorkdays: [] });
    await refused(
      call('post', '/import', { makeupWorkdays: [saturday] }),
      400,
      'CALENDAR.INVALID',
      both,
    );
    await refused(call('put', `/makeup-workdays/${saturday}`), 400, 'CALENDAR.INVALID', both);
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'SUMMARY:调休上班',
      `DTSTART;VALUE=DATE:${saturday.replace(/-/g, '')}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await refused(call('post', '/import', ics), 400, 'CALENDAR.INVALID', both);
  });

  it('refuses a make-up day that is not a weekend day, also after the weekend changes', async () => {
    await refused(
      call('put', '', { makeupWorkdays: [sunday, monday] }),
      400,
      'CALENDAR.INVALID',
      new RegExp(`must be a weekend day: ${monday} is a Monday`),
    );
    await refused(call('put', `/makeup-workdays/${monday}`), 400, 'CALENDAR.INVALID', /Monday/);
    await call('put', '', { weekendDays: [6, 7], makeupWorkdays: [sunday] });
    await refused(
      call('put', '', { weekendDays: [6] }),
      400,
      'CALENDAR.INVALID',
      new RegExp(`${sunday} is a Sunday`),
    );
  });

  it('adds and removes single dates, keeping every other date', async () => {
    await call('put', '', { holidays: [monday], makeupWorkdays: [saturday] });
    const start = await calendar();
    const added = await call('put', `/holidays/${nextSaturday}`);
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      holidays: [monday, nextSaturday],
      makeupWorkdays: [saturday],
      workingHours: start.workingHours,
      weekendDays: start.weekendDays,
      version: (start.version as number) + 1,
    });
    // Adding it again changes nothing.
    expect((await call('put', `/holidays/${nextSaturday}`)).body.holidays).toEqual([
      monday,
      nextSaturday,
    ]);
    const makeup = await call('put', `/makeup-workdays/${sunday}`);
    expect(makeup.body).toMatchObject({
      holidays: [monday, nextSaturday],
      makeupWorkdays: [saturday, sunday],
    });
    const removed = await call('delete', `/holidays/${monday}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      holidays: [nextSaturday],
      makeupWorkdays: [saturday, sunday],
    });
    expect((await call('delete', `/makeup-workdays/${saturday}`)).body.makeupWorkdays).toEqual([
      sunday,
    ]);
    await refused(
      call('delete', `/holidays/${monday}`),
      404,
      'CALENDAR.DATE_NOT_FOUND',
      new RegExp(`${monday} is not among the holidays`),
    );
    await refused(
      call('delete', `/makeup-workdays/${nextSaturday}`),
      404,
      'CALENDAR.DATE_NOT_FOUND',
    );
  });

  it('refuses bad dates and every role but the admin', async () => {
    for (const date of ['2026-02-30', 'tomorrow', '2026-1-05', `${year + 10}-01-01`]) {
      await refused(call('put', `/holidays/${encodeURIComponent(date)}`), 400, 'CALENDAR.INVALID');
      await refused(
        call('put', `/makeup-workdays/${encodeURIComponent(date)}`),
        400,
        'CALENDAR.INVALID',
      );
    }
    await refused(call('delete', '/holidays/not-a-date'), 400, 'CALENDAR.INVALID');
    for (const user of ['county-supervisor', 'secretary-1', 'dispatcher', 'resident-1']) {
      await refused(call('put', `/holidays/${saturday}`, undefined, user), 403, 'AUTH.FORBIDDEN');
      await refused(
        call('delete', `/holidays/${saturday}`, undefined, user),
        403,
        'AUTH.FORBIDDEN',
      );
      await refused(
        call('put', `/makeup-workdays/${saturday}`, undefined, user),
        403,
        'AUTH.FORBIDDEN',
      );
    }
  });

  describe('deadline policies', () => {
    let category: string;
    const put = async (body: object, user = 'admin') =>
      t.http
        .put(`/api/v1/sla-policies/${category}/normal`)
        .set(await t.as(user))
        .send({ dispatch: 'PT2H', feedback: 'P3D', warnAt: [0.5], ...body });
    const listed = async () =>
      (
        (
          await t.http
            .get('/api/v1/sla-policies')
            .set(await t.as('admin'))
            .expect(200)
        ).body as { category: string; priority: string }[]
      ).find((p) => p.category === category && p.priority === 'normal');

    beforeAll(async () => {
      category = uniqueCode('sla');
      await t.http
        .post('/api/v1/categories')
        .set(await t.as('admin'))
        .send({ code: category, name: `时限 ${category}`, nameEn: `Limits ${category}` })
        .expect(201);
    });

    it('refuses an accept limit longer than the resolve limit, in the clock’s own time', async () => {
      const before = await listed();
      for (const body of [
        { clock: '24x7', accept: 'PT3H', resolve: 'PT2H' },
        { clock: '24x7', accept: 'P2D', resolve: 'PT47H' },
        // A working day is 7.5 working hours by default: ten hours are more than one day.
        { clock: 'working', accept: 'PT10H', resolve: 'P1D' },
        { clock: 'working', accept: 'P1W', resolve: 'P4D' },
      ]) {
        const res = await put(body);
        expectProblem(res, 400, 'SLA.ACCEPT_EXCEEDS_RESOLVE');
        expect(res.body.detail).toContain(`accept (${body.accept}) is longer than resolve`);
      }
      expect(await listed()).toEqual(before);
      for (const body of [
        { clock: '24x7', accept: 'PT2H', resolve: 'PT2H' },
        { clock: 'working', accept: 'P1D', resolve: 'PT10H' },
        { clock: 'working', accept: 'P1W', resolve: 'P5D' },
      ]) {
        const res = await put(body);
        expect([res.status, res.body]).toEqual([200, expect.objectContaining(body)]);
      }
      expectProblem(
        await put({ clock: '24x7', accept: 'PT1H', resolve: 'PT2H' }, 'county-supervisor'),
        403,
        'AUTH.FORBIDDEN',
      );
    });
  });
});
