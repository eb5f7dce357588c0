import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../support/env';
import type { RankedUnit } from '../../src/modules/supervision/supervision.service';
import { download as downloadAs, expectProblem } from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp, USER_PASSWORD } from '../support/test-app';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * A hand-built town for the red/black list. In each branch `good` of the requests were answered
 * on time, solved by their due date and rated satisfied, and the rest were answered late, not
 * solved and rated dissatisfied: each of the three rates is good ÷ requests, and so is the score.
 */
const BRANCHES = [
  { code: 'p', requests: 10, good: 9 }, // 0.9
  { code: 'q', requests: 10, good: 9 }, // 0.9, tied with p
  { code: 'r', requests: 5, good: 4 }, // 0.8, exactly the minimum
  { code: 's', requests: 8, good: 6 }, // 0.75, and one request submitted a minute ago
  { code: 't', requests: 10, good: 7 }, // 0.7
  { code: 'u', requests: 6, good: 3 }, // 0.5
  { code: 'v', requests: 6, good: 3 }, // 0.5, tied with u
  { code: 'w', requests: 4, good: 4 }, // perfect, but only 4 requests
  { code: 'x', requests: 1, good: 1 }, // the council with one report
  { code: 'y', requests: 0, good: 0 },
] as const;

/** Code, rank, score, list, standing: every number known in advance. */
const EXPECTED = [
  ['rank-p', 1, 0.9, 'red', 'ranked'],
  ['rank-q', 1, 0.9, 'red', 'ranked'],
  ['rank-r', 3, 0.8, 'red', 'ranked'],
  ['rank-s', 4, 0.75, null, 'ranked'],
  ['rank-t', 5, 0.7, 'black', 'ranked'],
  ['rank-u', 6, 0.5, 'black', 'ranked'],
  ['rank-v', 6, 0.5, 'black', 'ranked'],
  ['rank-w', null, null, null, 'notEnoughData'],
  ['rank-x', null, null, null, 'notEnoughData'],
  ['rank-y', null, null, null, 'notEnoughData'],
];

describe('a fair red/black list on a hand-built town', () => {
  let t: TestApp;
  let db: Client;
  const T = Date.now();
  const ids: Record<string, string> = {};
  let town: { id: string; code: string };
  let leader: { id: string };
  /** Received and due before the period: on the overdue list, in no figure of the period. */
  const OVERDUE_SINCE = T - 33 * DAY;
  const period = `from=${new Date(T - 30 * DAY).toISOString()}&to=${new Date(T).toISOString()}`;

  async function admin(method: 'post' | 'patch', path: string, body: object) {
    const res = await t.http[method](`/api/v1${path}`)
      .set(await t.as('admin'))
      .send(body);
    expect(res.status).toBeLessThan(300);
    return res.body as { id: string; code: string };
  }

  const get = async (path: string, user = 'rank-supervisor') =>
    t.http.get(`/api/v1${path}`).set(await t.as(user));

  const download = (path: string, user = 'rank-supervisor') => downloadAs(t, path, user);

  const putWeights = async (body: object, user = 'admin') =>
    t.http
      .put('/api/v1/supervision/ranking-weights')
      .set(await t.as(user))
      .send(body);

  /**
   * One hand-built request. good / bad: answered on time or late, solved or not, satisfied or
   * not; fresh: submitted a minute ago; overdue: received and due before the period, still open.
   */
  async function insert(branch: string, n: number, kind: 'good' | 'bad' | 'fresh' | 'overdue') {
    const created = {
      good: new Date(T - 20 * DAY + n * HOUR),
      bad: new Date(T - 20 * DAY + n * HOUR),
      fresh: new Date(T - 60_000),
      overdue: new Date(T - 40 * DAY),
    }[kind];
    const good = kind === 'good';
    const closed = kind === 'good' || kind === 'bad';
    const respondedOnTime = kind === 'fresh' ? null : kind !== 'bad';
    await db.query(
      `INSERT INTO requests (id, reference, title, description, category_id, priority, channel, state,
         version, machine_version, context, resident_name, created_by, branch_id, town_id, unit_path,
         owner_unit_id, escalation_level, outcome, rating, created_at, updated_at, responded_at,
         responded_on_time, accepted_at, resolved_at, resolved_on_time, resolve_due_at, overdue_since)
       SELECT gen_random_uuid(), 'HB-RANK-' || $1, $1, 'hand-built', c.id, 'normal', 'visit', $2, 1, 1,
              jsonb_build_object('branchId', b.id), '测试', u.id, b.id, $3, b.path, b.id, 0, $4, $5,
              $6, $6, $7, $8, $7, $9, $10, $11, $12
         FROM units b, categories c, users u
        WHERE b.id = $13 AND c.code = 'roads' AND u.username = 'admin'`,
      [
        `${branch}-${kind}-${n}`,
        { good: 'closed', bad: 'closed', fresh: 'submitted', overdue: 'assigned' }[kind],
        town.id,
        closed ? (good ? 'satisfied' : 'dissatisfied') : null,
        good ? 5 : null,
        created,
        respondedOnTime === null ? null : new Date(created.getTime() + HOUR),
        respondedOnTime,
        closed ? new Date(created.getTime() + 2 * DAY) : null,
        closed ? good : null,
        new Date(
          { good: T - 10 * DAY, bad: T - 10 * DAY, fresh: T + 7 * DAY, overdue: OVERDUE_SINCE }[
            kind
          ],
        ),
        kind === 'overdue' ? new Date(OVERDUE_SINCE) : null,
        ids[branch],
      ],
    );
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const [county] = (await db.query<{ id: string }>(`SELECT id FROM units WHERE code = 'yinzhou'`))
      .rows;
    town = await admin('post', '/units', {
      code: 'rank-town',
      name: '榜单镇',
      type: 'town',
      parentId: county.id,
      refPrefix: 'HB',
    });
    for (const b of BRANCHES) {
      ids[b.code] = (
        await admin('post', '/units', {
          code: `rank-${b.code}`,
          name: `榜单${b.code}村`,
          type: 'branch',
          parentId: town.id,
        })
      ).id;
    }
    for (const [username, role, unitId] of [
      ['rank-supervisor', 'supervisor', town.id],
      ['rank-leader', 'assignee', town.id],
      ['rank-secretary-p', 'secretary', ids.p],
    ]) {
      await admin('post', '/users', {
        username,
        displayName: username === 'rank-leader' ? '包村领导甲' : username,
        password: USER_PASSWORD,
        role,
        unitId,
      });
    }
    leader = (await db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'rank-leader'`))
      .rows[0];
    await admin('patch', `/units/${ids.p}`, { contactLeaderId: leader.id });

    for (const b of BRANCHES) {
      for (let i = 0; i < b.requests; i++) await insert(b.code, i, i < b.good ? 'good' : 'bad');
    }
    await insert('s', 0, 'fresh');
    await insert('u', 0, 'overdue');
  });

  afterAll(async () => {
    try {
      await db.end();
    } finally {
      await stopTestApp(t);
    }
  });

  it('equal scores share a rank and a list; small units are not enough data; fresh requests are no failure', async () => {
    const res = await get(`/supervision/ranking?unitId=${town.id}&${period}`);
    expect(res.status).toBe(200);
    const units = res.body.units as RankedUnit[];
    expect(units.map((u) => [u.unit.code, u.rank, u.score, u.list, u.standing])).toEqual(EXPECTED);
    const s = units.find((u) => u.unit.code === 'rank-s') as RankedUnit;
    // Nine received; the one submitted a minute ago is not in the response rate's base.
    expect(s).toMatchObject({ received: 9, responseRate: 0.75, resolutionRate: 0.75 });
    const x = units.find((u) => u.unit.code === 'rank-x') as RankedUnit;
    // Its rates are shown, but one request ranks nobody.
    expect(x).toMatchObject({ received: 1, responseRate: 1, score: null });
    expect(units[0].contactLeader).toEqual({ id: leader.id, displayName: '包村领导甲' });
    expect(units.filter((u) => u.contactLeader !== null)).toHaveLength(1);
  });

  it('the response rate counts only requests answered or past their accept limit', async () => {
    const stats = await get(`/supervision/stats?unitId=${ids.s}&${period}`);
    expect(stats.body.totals).toMatchObject({
      received: 9,
      responseDue: 8,
      respondedOnTime: 6,
      responseRate: 0.75,
    });
  });

  it('the minimum is set with the weights; without it the stored one stays', async () => {
    try {
      const one = await putWeights({
        response: 0.3,
        resolution: 0.4,
        satisfaction: 0.3,
        minReceived: 1,
      });
      expect(one.body).toEqual({
        response: 0.3,
        resolution: 0.4,
        satisfaction: 0.3,
        minReceived: 1,
      });
      const kept = await putWeights({ response: 0.3, resolution: 0.4, satisfaction: 0.3 });
      expect(kept.body.minReceived).toBe(1);
      expect((await get('/supervision/ranking-weights')).body.minReceived).toBe(1);
      const units = (await get(`/supervision/ranking?unitId=${town.id}&${period}`)).body
        .units as RankedUnit[];
      // w and x, perfect with 4 and 1 requests, now rank first together; y received none.
      expect(units.slice(0, 2).map((u) => [u.unit.code, u.rank, u.list])).toEqual([
        ['rank-w', 1, 'red'],
        ['rank-x', 1, 'red'],
      ]);
      expect(units.at(-1)).toMatchObject({
        unit: { code: 'rank-y' },
        rank: null,
        standing: 'notEnoughData',
      });
    } finally {
      await putWeights({ response: 0.3, resolution: 0.4, satisfaction: 0.3, minReceived: 5 });
    }
  });

  it('refuses a bad minimum and other roles, writing nothing', async () => {
    const before = (await get('/supervision/ranking-weights')).body;
    for (const minReceived of [0, -1, 1.5, '5', 1001, true]) {
      const res = await putWeights({
        response: 0.3,
        resolution: 0.4,
        satisfaction: 0.3,
        minReceived,
      });
      expectProblem(res, 400, 'VALIDATION.FAILED');
      expect(JSON.stringify(res.body.errors)).toContain('minReceived');
    }
    expectProblem(
      await putWeights(
        { response: 0.3, resolution: 0.4, satisfaction: 0.3, minReceived: 2 },
        'rank-supervisor',
      ),
      403,
      'AUTH.FORBIDDEN',
    );
    expect((await get('/supervision/ranking-weights')).body).toEqual(before);
    expectProblem(
      await get(`/supervision/ranking?unitId=${town.id}`, 'rank-secretary-p'),
      403,
      'AUTH.FORBIDDEN',
    );
    expectProblem(
      await get(`/supervision/ranking?unitId=${town.id}`, 'town-supervisor'),
      404,
      'UNIT.NOT_FOUND',
    );
    expectProblem(
      await get(`/supervision/ranking?unitId=${town.id}&format=pdf`),
      400,
      'VALIDATION.FAILED',
    );
  });

  it('exports the list as CSV and XLSX, each branch with its contact leader', async () => {
    const csv = await download(`/supervision/ranking?unitId=${town.id}&${period}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(
      /filename="ranking-rank-town-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = (csv.body as Buffer).toString('utf8').slice(1).trim().split('\r\n');
    const from = new Date(T - 30 * DAY + 8 * HOUR).toISOString().slice(0, 10);
    const last = new Date(T - 1 + 8 * HOUR).toISOString().slice(0, 10);
    expect(lines[0]).toContain(`榜单镇 红黑榜 red/black list · ${from} 至 ${last}`);
    expect(lines[1]).toBe(
      '名次 rank,单位 unit,联系领导 contact leader,收到诉求 received,响应率 responseRate,解决率 resolutionRate,满意率 satisfactionRate,得分 score,榜单 list',
    );
    expect(lines.slice(2)).toEqual([
      '1,榜单p村,包村领导甲,10,90.0%,90.0%,90.0%,90.0%,红榜 red',
      '1,榜单q村,,10,90.0%,90.0%,90.0%,90.0%,红榜 red',
      '3,榜单r村,,5,80.0%,80.0%,80.0%,80.0%,红榜 red',
      '4,榜单s村,,9,75.0%,75.0%,75.0%,75.0%,',
      '5,榜单t村,,10,70.0%,70.0%,70.0%,70.0%,黑榜 black',
      '6,榜单u村,,6,50.0%,50.0%,50.0%,50.0%,黑榜 black',
      '6,榜单v村,,6,50.0%,50.0%,50.0%,50.0%,黑榜 black',
      ',榜单w村,,4,100.0%,100.0%,100.0%,,数据不足 not enough data',
      ',榜单x村,,1,100.0%,100.0%,100.0%,,数据不足 not enough data',
      ',榜单y村,,0,,,,,数据不足 not enough data',
    ]);

    const xlsx = await download(`/supervision/ranking?unitId=${town.id}&${period}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A1').value).toEqual(expect.stringContaining('榜单镇 红黑榜'));
    expect(sheet.getCell('C3').value).toBe('包村领导甲');
    expect([sheet.getCell('E3').value, sheet.getCell('E3').numFmt]).toEqual([0.9, '0.0%']);
    expect(sheet.getCell('A10').value).toBeNull();
    expect(sheet.getCell('I10').value).toBe('数据不足 not enough data');
  });

  it('exports the overdue list with names, Beijing dates and hours late to one decimal', async () => {
    const xlsx = await download(`/supervision/overdue?unitId=${town.id}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A1').value).toEqual(
      expect.stringMatching(
        /^榜单镇 超时清单 overdue requests · 截至 as of \d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
      ),
    );
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '编号 reference',
      '标题 title',
      '类别 category',
      '支部 branch',
      '状态 state',
      '责任单位 owner',
      '时限 due',
      '超时小时 hours late',
      '升级层级 escalation level',
      '退回次数 returns',
      '暂停次数 holds',
      '滞后节点 late milestone',
    ]);
    const row = sheet.getRow(3);
    expect(row.getCell(2).value).toBe('u-overdue-0');
    expect(row.getCell(3).value).toBe('道路交通');
    expect(row.getCell(4).value).toBe('榜单u村');
    expect(row.getCell(5).value).toBe('已派单');
    // The due time as a date at Beijing wall-clock time.
    expect((row.getCell(7).value as Date).getTime()).toBe(OVERDUE_SINCE + 8 * HOUR);
    expect(row.getCell(7).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(row.getCell(8).value).toBeGreaterThanOrEqual(33 * 24);
    expect(row.getCell(8).numFmt).toBe('0.0');
    expect(sheet.rowCount).toBe(3);

    const csv = await download(`/supervision/overdue?unitId=${town.id}&format=csv`);
    const cells = (csv.body as Buffer).toString('utf8').trim().split('\r\n')[2].split(',');
    const beijing = new Date(OVERDUE_SINCE + 8 * HOUR).toISOString();
    expect(cells.slice(2, 7)).toEqual([
      '道路交通',
      '榜单u村',
      '已派单',
      '榜单u村',
      `${beijing.slice(0, 10)} ${beijing.slice(11, 16)}`,
    ]);
    expect(cells[7]).toMatch(/^79\d\.\d$/);
  });

  it('a secretary sees the figures of their own branch, and nothing else', async () => {
    const own = await get(`/supervision/stats?${period}`, 'rank-secretary-p');
    expect(own.status).toBe(200);
    expect(own.body.unit.code).toBe('rank-p');
    expect(own.body.rows.map((r: { unit: { code: string } }) => r.unit.code)).toEqual(['rank-p']);
    expect(own.body.totals).toMatchObject({ received: 10, responseRate: 0.9 });
    const byCategory = await get(
      `/supervision/stats?${period}&groupBy=category`,
      'rank-secretary-p',
    );
    expect(byCategory.body.rows.find((r: { key: string }) => r.key === 'roads')).toMatchObject({
      name: '道路交通',
      received: 10,
    });
    for (const unitId of [town.id, ids.q]) {
      expectProblem(
        await get(`/supervision/stats?unitId=${unitId}`, 'rank-secretary-p'),
        404,
        'UNIT.NOT_FOUND',
      );
    }
    expectProblem(await get(`/supervision/overdue`, 'rank-secretary-p'), 403, 'AUTH.FORBIDDEN');
    const csv = await download(`/supervision/stats?${period}&format=csv`, 'rank-secretary-p');
    expect(csv.status).toBe(200);
    const lines = (csv.body as Buffer).toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^榜单p村 督查统计 supervision figures · /);
    expect(lines[2]).toMatch(/^榜单p村,10,10,10,9,0,0,10,0,10,9,10,9,1,0,0,0,/);
    expect(lines[2]).toMatch(/,90\.0%,90\.0%,90\.0%,90\.0%$/);
  });
});
