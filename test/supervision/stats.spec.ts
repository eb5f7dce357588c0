import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { CHANNELS } from '../../src/modules/requests/requests.entity';
import { TEST_DATABASE_URL } from '../support/env';
import { download as downloadAs } from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp, USER_PASSWORD } from '../support/test-app';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * A hand-built town where every figure is known in advance. Times are offsets from T (the start
 * of the test) so the ages of open requests are known too; the period is [T − 30 d, T).
 */
interface Spec {
  name: string;
  branch: 'a' | 'b';
  created: number;
  state: string;
  acceptedAt?: number;
  respondedAt?: number;
  respondedOnTime?: boolean;
  escalatedAt?: number;
  resolvedAt?: number;
  resolvedOnTime?: boolean;
  resolveDue: number;
  outcome?: string;
  rating?: number;
  disputes?: number;
  reopens?: number;
  returns?: number;
  holds?: number;
  overdueSince?: number;
  /** 'visit' unless said */
  channel?: string;
  onSpot?: boolean;
  /** merged as a duplicate into this one (outcome duplicate) */
  mergedInto?: string;
}

const d = (days: number, hours = 0) => days * DAY + hours * HOUR;

const SPECS: Spec[] = [
  {
    name: 'A1',
    branch: 'a',
    created: d(-20),
    state: 'closed',
    acceptedAt: d(-20, 1),
    respondedOnTime: true,
    resolvedAt: d(-18),
    resolvedOnTime: true,
    resolveDue: d(-13),
    outcome: 'satisfied',
    rating: 5,
  },
  {
    name: 'A2',
    branch: 'a',
    created: d(-25),
    state: 'closed',
    acceptedAt: d(-25, 2),
    respondedOnTime: true,
    escalatedAt: d(-24),
    resolvedAt: d(-15),
    resolvedOnTime: false,
    resolveDue: d(-18),
    outcome: 'dissatisfied',
  },
  {
    name: 'A3',
    branch: 'a',
    created: d(-10),
    state: 'accepted',
    acceptedAt: d(-9),
    respondedOnTime: false,
    resolveDue: d(5),
  },
  {
    name: 'A4',
    branch: 'a',
    created: d(-35),
    state: 'closed',
    acceptedAt: d(-35, 1),
    respondedOnTime: true,
    resolvedAt: d(-30, -1),
    resolvedOnTime: true,
    resolveDue: d(-28),
    outcome: 'no_feedback',
  },
  {
    name: 'A5',
    branch: 'a',
    created: d(-30, 1),
    state: 'rejected',
    respondedAt: d(-30, 2),
    respondedOnTime: true,
    resolveDue: d(-23),
  },
  {
    name: 'A6',
    branch: 'a',
    created: d(-30, -1),
    state: 'submitted',
    resolveDue: d(-2),
    overdueSince: d(-2),
  },
  // Withdrawn before its accept limit, never answered: not in the response rate's base.
  { name: 'B1', branch: 'b', created: d(-12), state: 'withdrawn', resolveDue: d(20) },
  {
    name: 'B2',
    branch: 'b',
    created: d(-11),
    state: 'assigned',
    acceptedAt: d(-11, 3),
    respondedOnTime: true,
    escalatedAt: d(-10),
    resolveDue: d(-4),
    overdueSince: d(-4),
    returns: 1,
    holds: 1,
  },
  {
    name: 'B3',
    branch: 'b',
    created: d(-16),
    state: 'closed',
    acceptedAt: d(-16, 1),
    respondedOnTime: true,
    resolvedAt: d(-14),
    resolvedOnTime: true,
    resolveDue: d(-9),
    outcome: 'no_feedback',
    disputes: 1,
    reopens: 1,
  },
  {
    name: 'B4',
    branch: 'b',
    created: d(-5),
    state: 'closed',
    acceptedAt: d(-5, 1),
    respondedOnTime: true,
    resolvedAt: d(-4),
    resolvedOnTime: true,
    resolveDue: d(2),
    outcome: 'dissatisfied',
    rating: 2,
  },
  {
    name: 'B5',
    branch: 'b',
    created: d(-2),
    state: 'resolved',
    acceptedAt: d(-2, 1),
    respondedOnTime: true,
    resolvedAt: d(-1),
    resolvedOnTime: true,
    resolveDue: d(5),
  },
  // Solved on the spot at a market stall: accepted and resolved as it was recorded.
  {
    name: 'A7',
    branch: 'a',
    created: d(-3),
    state: 'resolved',
    acceptedAt: d(-3),
    respondedOnTime: true,
    resolvedAt: d(-3),
    resolvedOnTime: true,
    resolveDue: d(4),
    channel: 'mobile_service_point',
    onSpot: true,
  },
  // A3 again, from a talk evening, merged into it; its resident then rated A3's result 2 through
  // their own link. In no figure but mergedDuplicates, though it is closed, rated and due.
  {
    name: 'A8',
    branch: 'a',
    created: d(-8),
    state: 'closed',
    respondedOnTime: true,
    resolveDue: d(-1),
    outcome: 'duplicate',
    rating: 2,
    channel: 'villagers_talk',
    mergedInto: 'A3',
  },
];
Object.assign(SPECS.find((s) => s.name === 'B1') as Spec, { channel: 'reception_day' });
Object.assign(SPECS.find((s) => s.name === 'B2') as Spec, { channel: 'grid_member' });
Object.assign(SPECS.find((s) => s.name === 'B3') as Spec, { channel: 'inspection' });

const ZERO_RATES = {
  responseRate: null,
  onTimeRate: null,
  resolutionRate: null,
  satisfactionRate: null,
};

describe('supervision figures on a hand-built town', () => {
  let t: TestApp;
  let db: Client;
  const T = Date.now();
  const ids: Record<string, string> = {};
  let town: { id: string; code: string };
  const period = `from=${new Date(T - 30 * DAY).toISOString()}&to=${new Date(T).toISOString()}`;

  async function admin(path: string, body: object) {
    const res = await t.http
      .post(`/api/v1${path}`)
      .set(await t.as('admin'))
      .send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; code: string };
  }

  async function get(path: string, user = 'stats-supervisor') {
    return t.http.get(`/api/v1${path}`).set(await t.as(user));
  }

  const download = (path: string) => downloadAs(t, path, 'stats-supervisor');

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const [county] = (await db.query<{ id: string }>(`SELECT id FROM units WHERE code = 'yinzhou'`))
      .rows;
    town = await admin('/units', {
      code: 'stats-town',
      name: '统计镇',
      type: 'town',
      parentId: county.id,
      refPrefix: 'TJ',
    });
    for (const b of ['a', 'b', 'c']) {
      ids[b] = (
        await admin('/units', {
          code: `stats-${b}`,
          name: `统计${b}村`,
          type: 'branch',
          parentId: town.id,
        })
      ).id;
    }
    await admin('/units', {
      code: 'stats-dept',
      name: '统计办',
      type: 'department',
      parentId: town.id,
    });
    await admin('/users', {
      username: 'stats-supervisor',
      displayName: '统计督查',
      password: USER_PASSWORD,
      role: 'supervisor',
      unitId: town.id,
    });

    const at = (offset: number | undefined) => (offset === undefined ? null : new Date(T + offset));
    for (const s of SPECS) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO requests (id, reference, title, description, category_id, priority, channel, state,
           version, machine_version, context, resident_name, created_by, branch_id, town_id, unit_path,
           owner_unit_id, escalation_level, reopen_count, return_count, hold_count, on_hold, outcome,
           rating, created_at, updated_at, responded_at, responded_on_time, accepted_at, escalated_at,
           resolved_at, resolved_on_time, resolve_due_at, dispute_count, overdue_since, resolved_on_spot,
           merged_into_id)
         SELECT gen_random_uuid(), 'TJ-STATS-' || $1, $1, 'hand-built', c.id, 'normal', $21, $2, 1, 1,
                jsonb_build_object('branchId', b.id), '测试', u.id, b.id, $3, b.path, b.id, 0, $4, $5, $6,
                $6 > 0 AND $2 = 'assigned', $7, $8, $9, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                $22, $23
           FROM units b, categories c, users u
          WHERE b.id = $19 AND c.code = $20 AND u.username = 'admin'
         RETURNING id`,
        [
          s.name,
          s.state,
          town.id,
          s.reopens ?? 0,
          s.returns ?? 0,
          s.holds ?? 0,
          s.outcome ?? null,
          s.rating ?? null,
          at(s.created),
          at(s.respondedAt ?? s.acceptedAt),
          s.respondedOnTime ?? null,
          at(s.acceptedAt),
          at(s.escalatedAt),
          at(s.resolvedAt),
          s.resolvedOnTime ?? null,
          at(s.resolveDue),
          s.disputes ?? 0,
          at(s.overdueSince),
          ids[s.branch],
          s.branch === 'a' ? 'roads' : 'sewage',
          s.channel ?? 'visit',
          s.onSpot ?? false,
          s.mergedInto ? ids[s.mergedInto] : null,
        ],
      );
      ids[s.name] = rows[0].id;
    }
  });

  afterAll(async () => {
    try {
      await db.end();
    } finally {
      await stopTestApp(t);
    }
  });

  // A8, the merged duplicate, is in none of these but mergedDuplicates; A7 (on the spot) counts
  // as received, accepted and resolved on time, at the branch, in 0 hours.
  const TOTALS = {
    received: 10,
    accepted: 8,
    responseDue: 9,
    respondedOnTime: 8,
    rejected: 1,
    returned: 1,
    resolvedAtBranch: 5,
    escalated: 2,
    resolved: 6,
    resolvedOnTime: 5,
    closed: 4,
    satisfied: 1,
    dissatisfied: 2,
    noFeedback: 1,
    reopened: 1,
    overdueNow: 1,
    backlog0to7: 2,
    backlog8to30: 2,
    backlog31to90: 0,
    backlogOver90: 0,
    dueInPeriod: 7,
    solvedOfDue: 2,
    avgHoursToAccept: 4.13,
    avgHoursToResolve: 64,
    responseRate: 0.8889,
    onTimeRate: 0.8333,
    resolutionRate: 0.2857,
    satisfactionRate: 0.3333,
    resolvedOnSpot: 1,
    mergedDuplicates: 1,
  };
  const BRANCH_A = {
    received: 5,
    accepted: 4,
    responseDue: 5,
    respondedOnTime: 4,
    rejected: 1,
    returned: 0,
    resolvedAtBranch: 2,
    escalated: 1,
    resolved: 3,
    resolvedOnTime: 2,
    closed: 2,
    satisfied: 1,
    dissatisfied: 1,
    noFeedback: 0,
    reopened: 0,
    overdueNow: 0,
    backlog0to7: 1,
    backlog8to30: 1,
    dueInPeriod: 5,
    solvedOfDue: 2,
    responseRate: 0.8,
    onTimeRate: 0.6667,
    resolutionRate: 0.4,
    satisfactionRate: 0.5,
    resolvedOnSpot: 1,
    mergedDuplicates: 1,
  };
  const BRANCH_B = {
    received: 5,
    accepted: 4,
    responseDue: 4,
    respondedOnTime: 4,
    rejected: 0,
    returned: 1,
    resolvedAtBranch: 3,
    escalated: 1,
    resolved: 3,
    resolvedOnTime: 3,
    closed: 2,
    satisfied: 0,
    dissatisfied: 1,
    noFeedback: 1,
    reopened: 1,
    overdueNow: 1,
    backlog0to7: 1,
    backlog8to30: 1,
    dueInPeriod: 2,
    solvedOfDue: 0,
    responseRate: 1,
    onTimeRate: 1,
    resolutionRate: 0,
    satisfactionRate: 0,
    resolvedOnSpot: 0,
    mergedDuplicates: 0,
  };

  it('matches every figure, per branch and in total', async () => {
    const res = await get(`/supervision/stats?unitId=${town.id}&${period}&groupBy=unit`);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual(TOTALS);
    const rows = res.body.rows as { unit: { code: string } }[];
    expect(rows.map((r) => r.unit.code)).toEqual(['stats-a', 'stats-b', 'stats-c']);
    expect(rows[0]).toMatchObject(BRANCH_A);
    expect(rows[1]).toMatchObject(BRANCH_B);
    expect(rows[2]).toMatchObject({ received: 0, dueInPeriod: 0, ...ZERO_RATES });
  });

  it('groups by category and by day with the same totals', async () => {
    const byCategory = await get(`/supervision/stats?unitId=${town.id}&${period}&groupBy=category`);
    const rows = byCategory.body.rows as { key: string }[];
    expect(rows.find((r) => r.key === 'roads')).toMatchObject(BRANCH_A);
    expect(rows.find((r) => r.key === 'sewage')).toMatchObject(BRANCH_B);
    expect(rows.find((r) => r.key === 'parking')).toMatchObject({ received: 0, ...ZERO_RATES });

    const byDay = await get(`/supervision/stats?unitId=${town.id}&${period}&groupBy=day`);
    const days = byDay.body.rows as { key: string; received: number; dueInPeriod: number }[];
    expect(days.reduce((s, r) => s + r.received, 0)).toBe(10);
    expect(days.reduce((s, r) => s + r.dueInPeriod, 0)).toBe(7);
    expect(days.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.key))).toBe(true);
    expect(byDay.body.totals).toEqual(TOTALS);

    const byMonth = await get(`/supervision/stats?unitId=${town.id}&${period}&groupBy=month`);
    expect((byMonth.body.rows as { received: number }[]).reduce((s, r) => s + r.received, 0)).toBe(
      10,
    );
  });

  it('counts by intake door, every door listed, the merged duplicate only as such', async () => {
    const res = await get(`/supervision/stats?unitId=${town.id}&${period}&groupBy=channel`);
    expect(res.status).toBe(200);
    const rows = res.body.rows as ({ key: string } & Record<string, number>)[];
    expect(rows.map((r) => r.key)).toEqual([...CHANNELS]);
    const row = (key: string) => rows.find((r) => r.key === key);
    expect(row('mobile_service_point')).toMatchObject({
      received: 1,
      resolvedOnSpot: 1,
      resolvedOnTime: 1,
      mergedDuplicates: 0,
    });
    expect(row('villagers_talk')).toMatchObject({
      received: 0,
      mergedDuplicates: 1,
      dueInPeriod: 0,
      solvedOfDue: 0,
      dissatisfied: 0,
    });
    expect(row('reception_day')).toMatchObject({ received: 1, closed: 0 });
    expect(row('grid_member')).toMatchObject({ received: 1, overdueNow: 1, escalated: 1 });
    expect(row('inspection')).toMatchObject({ received: 1, noFeedback: 1, reopened: 1 });
    expect(row('visit')).toMatchObject({ received: 6, resolvedOnSpot: 0 });
    for (const quiet of ['tea_house', 'hotline', 'app', 'other']) {
      expect(row(quiet)).toMatchObject({ received: 0, mergedDuplicates: 0, ...ZERO_RATES });
    }
    expect(res.body.totals).toEqual(TOTALS);
  });

  it('a request created an hour outside the period is not received, one an hour inside is', async () => {
    const narrow = `from=${new Date(T - 30 * DAY).toISOString()}&to=${new Date(T - 29 * DAY).toISOString()}`;
    const res = await get(`/supervision/stats?unitId=${town.id}&${narrow}&groupBy=unit`);
    expect(res.body.totals.received).toBe(1); // A5, not A6
    expect(res.body.rows[0].rejected).toBe(1);
  });

  /** The Asia/Shanghai date `days` from T, as the API takes it. */
  const localDay = (days: number) => new Date(T + days * DAY + 8 * HOUR).toISOString().slice(0, 10);
  const monthsAround = () => {
    const [y, m] = localDay(0).split('-').map(Number);
    const first = (yy: number, mm: number) =>
      new Date(Date.UTC(yy, mm - 1, 1)).toISOString().slice(0, 10);
    return `from=${first(y, m - 2)}&to=${first(y, m + 1)}`;
  };

  it('reads whole months and days from the rollup and agrees with the requests themselves', async () => {
    // groupBy=category is counted from the requests alone; unit, day, week and month from the
    // rollup's month and day rows plus the ragged edges. Every total must be the same.
    const periods = [
      monthsAround(),
      `from=${localDay(-20)}&to=${localDay(-3)}`,
      `from=${new Date(T - 33 * DAY + 5 * HOUR).toISOString()}&to=${new Date(T - 2 * DAY + 3 * HOUR).toISOString()}`,
      period,
    ];
    for (const p of periods) {
      const raw = await get(`/supervision/stats?unitId=${town.id}&${p}&groupBy=category`);
      expect(raw.status).toBe(200);
      for (const groupBy of ['unit', 'day', 'week', 'month', 'channel']) {
        const rolled = await get(`/supervision/stats?unitId=${town.id}&${p}&groupBy=${groupBy}`);
        expect([p, groupBy, rolled.body.totals]).toEqual([p, groupBy, raw.body.totals]);
      }
      const byUnit = await get(`/supervision/stats?unitId=${town.id}&${p}&groupBy=unit`);
      const roads = (raw.body.rows as { key: string }[]).find((r) => r.key === 'roads');
      expect(byUnit.body.rows[0]).toEqual({
        unit: byUnit.body.rows[0].unit,
        ...roads,
        key: undefined,
        name: undefined,
      });
    }
    const whole = await get(`/supervision/stats?unitId=${town.id}&${monthsAround()}&groupBy=unit`);
    expect(whole.body.totals.received).toBe(SPECS.filter((s) => !s.mergedInto).length);
    expect(whole.body.totals.mergedDuplicates).toBe(1);
  });

  it('shows a write in the next answer, also one that moves a request to another branch', async () => {
    const months = monthsAround();
    const days = `from=${localDay(-40)}&to=${localDay(-1)}`;
    const received = async (p: string) =>
      (
        (await get(`/supervision/stats?unitId=${town.id}&${p}&groupBy=unit`)).body.rows as {
          received: number;
          closed: number;
        }[]
      ).map((r) => [r.received, r.closed]);
    const before = { months: await received(months), days: await received(days) };
    const move = (branch: string) =>
      db.query(
        `UPDATE requests SET branch_id = b.id, unit_path = b.path FROM units b
          WHERE b.id = $1 AND requests.id = $2`,
        [ids[branch], ids.A1],
      );
    await move('c');
    const after = { months: await received(months), days: await received(days) };
    for (const k of ['months', 'days'] as const) {
      expect(after[k][0]).toEqual([before[k][0][0] - 1, before[k][0][1] - 1]);
      expect(after[k][2]).toEqual([1, 1]);
    }
    await move('a');
    expect(await received(months)).toEqual(before.months);
    expect(await received(days)).toEqual(before.days);
  });

  it('takes a request merged as a duplicate out of every figure at once, rollup included', async () => {
    // B5 merged into B2 as the engine writes it: closed, outcome duplicate, its original named.
    const figures = async (p: string) =>
      (await get(`/supervision/stats?unitId=${town.id}&${p}&groupBy=unit`)).body.totals as Record<
        string,
        number
      >;
    const periods = [monthsAround(), `from=${localDay(-40)}&to=${localDay(1)}`];
    const before = await Promise.all(periods.map(figures));
    await db.query(
      `UPDATE requests SET state = 'closed', outcome = 'duplicate', merged_into_id = $2
        WHERE id = $1`,
      [ids.B5, ids.B2],
    );
    const after = await Promise.all(periods.map(figures));
    for (const [i, b] of before.entries()) {
      expect(after[i]).toMatchObject({
        received: b.received - 1,
        resolved: b.resolved - 1,
        accepted: b.accepted - 1,
        backlog0to7: b.backlog0to7 - 1,
        closed: b.closed,
        mergedDuplicates: b.mergedDuplicates + 1,
      });
    }
    await db.query(
      `UPDATE requests SET state = 'resolved', outcome = NULL, merged_into_id = NULL WHERE id = $1`,
      [ids.B5],
    );
    expect(await Promise.all(periods.map(figures))).toEqual(before);
  });

  it('never loses a write that commits while a refresh runs', async () => {
    // A3 is noted dirty by a committed write; a second write to the same request is still open
    // while a stats call refreshes (and consumes the first note). Once the second commits, its
    // own note must bring the rollup up to date.
    const months = monthsAround();
    const closed = async () =>
      (await get(`/supervision/stats?unitId=${town.id}&${months}&groupBy=unit`)).body.totals
        .closed as number;
    const base = await closed();
    await db.query(`UPDATE requests SET rating = 4 WHERE id = $1`, [ids.A3]);
    const writer = new Client({ connectionString: TEST_DATABASE_URL });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE requests SET state = 'closed' WHERE id = $1`, [ids.A3]);
      expect(await closed()).toBe(base);
      await writer.query('COMMIT');
      expect(await closed()).toBe(base + 1);
      await db.query(`UPDATE requests SET state = 'accepted', rating = NULL WHERE id = $1`, [
        ids.A3,
      ]);
      expect(await closed()).toBe(base);
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM request_stats_dirty`,
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await writer.end();
    }
  });

  it('lists the overdue, most late first, across the whole subtree', async () => {
    const res = await get(`/supervision/overdue?unitId=${town.id}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((i: { title: string }) => i.title)).toEqual(['B2', 'A6']);
    expect(res.body.items[0]).toMatchObject({
      state: 'assigned',
      returnCount: 1,
      holdCount: 1,
      branch: { code: 'stats-b' },
    });
    expect(res.body.items[0].hoursLate).toBeGreaterThanOrEqual(96);
    const page2 = await get(`/supervision/overdue?unitId=${town.id}&page=2&pageSize=1`);
    expect(page2.body.items.map((i: { title: string }) => i.title)).toEqual(['A6']);
  });

  it('ranks the branches on the red/black list', async () => {
    const res = await get(`/supervision/ranking?unitId=${town.id}&${period}`);
    expect(res.status).toBe(200);
    expect(res.body.weights).toEqual({
      response: 0.3,
      resolution: 0.4,
      satisfaction: 0.3,
      minReceived: 5,
    });
    // Four requests are not enough data: branch b, alone with a score, is on neither list.
    expect(
      res.body.units.map(
        (u: {
          unit: { code: string };
          rank: number | null;
          score: number | null;
          list: string | null;
          standing: string;
        }) => [u.unit.code, u.rank, u.score, u.list, u.standing],
      ),
    ).toEqual([
      ['stats-a', 1, 0.55, 'red', 'ranked'],
      ['stats-b', 2, 0.3, 'black', 'ranked'],
      ['stats-c', null, null, null, 'notEnoughData'],
    ]);
  });

  it('exports the stats as CSV with a BOM and as XLSX', async () => {
    const csv = await download(`/supervision/stats?unitId=${town.id}&${period}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^统计镇 督查统计 supervision figures · \d{4}-\d{2}-\d{2} 至 /);
    expect(lines[1].split(',').slice(0, 3)).toEqual([
      '单位 unit',
      '收到诉求 received',
      '接单 accepted',
    ]);
    expect(lines.at(-1)?.split(',').slice(0, 3)).toEqual(['合计 total', '10', '8']);
    expect(lines[2]).toMatch(/^统计a村,5,4,/);
    const header = lines[1].split(',');
    const total = lines.at(-1)?.split(',') ?? [];
    expect(total[header.indexOf('现场解决 resolvedOnSpot')]).toBe('1');
    expect(total[header.indexOf('合并的重复诉求 mergedDuplicates')]).toBe('1');

    const xlsx = await download(`/supervision/overdue?unitId=${town.id}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(3).getCell(2).value).toBe('B2');
    expect(sheet.rowCount).toBe(4);
  });

  it('refuses other roles, other subtrees and bad periods', async () => {
    // Another town's subtree answers like a unit that does not exist.
    const outside = await get(`/supervision/stats?unitId=${town.id}`, 'town-supervisor');
    expect([outside.status, outside.body.code]).toEqual([404, 'UNIT.NOT_FOUND']);
    expect((await get(`/supervision/overdue`, 'secretary-1')).status).toBe(403);
    expect((await get(`/supervision/overdue`, 'dispatcher')).status).toBe(403);
    const bad = [
      `groupBy=year`,
      `from=2026-13-01`,
      `from=2026-11-10&to=2026-11-01`,
      `from=2024-01-01&to=2026-01-01&groupBy=day`,
      `unitId=not-a-uuid`,
      `format=pdf`,
    ];
    for (const q of bad) {
      const res = await get(`/supervision/stats?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await get(`/supervision/stats?unitId=${ids.A1}`)).status).toBe(404);
    expect((await get(`/supervision/stats?unitId=${town.id}`, 'county-supervisor')).status).toBe(
      200,
    );
  });

  it('lets an admin set the weights, and only an admin', async () => {
    const put = (user: string, body: object) =>
      t.as(user).then((h) => t.http.put('/api/v1/supervision/ranking-weights').set(h).send(body));
    expect(
      (await put('county-supervisor', { response: 0.5, resolution: 0.25, satisfaction: 0.25 }))
        .status,
    ).toBe(403);
    expect(
      (await put('admin', { response: 0.5, resolution: 0.6, satisfaction: 0.25 })).status,
    ).toBe(400);
    expect((await put('admin', { response: 0.5, resolution: 0.25 })).status).toBe(400);
    expect(
      (await put('admin', { response: 0.5, resolution: 0.25, satisfaction: 0.25 })).status,
    ).toBe(200);
    const ranked = await get(`/supervision/ranking?unitId=${town.id}&${period}`);
    expect(ranked.body.units[0]).toMatchObject({ unit: { code: 'stats-a' }, score: 0.625 });
    expect((await put('admin', { response: 0.3, resolution: 0.4, satisfaction: 0.3 })).status).toBe(
      200,
    );
  });
});
