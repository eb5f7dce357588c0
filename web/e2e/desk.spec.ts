import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { callApi, expect, signIn, signOut, test, tokenOf, unique } from './fixtures';

/** A desk screen, where supervisors also read the board. */
const DESK = { width: 1366, height: 900 };

/** Closes the sheet on screen with a tap on the dimmed page above it. */
const closeSheet = (page: Page) =>
  page
    .locator('.van-overlay')
    .last()
    .click({ position: { x: 20, y: 20 } });

/** The file the browser saved after a click, with the name the API gave it. */
async function download(page: Page, button: string) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return { name: file.suggestedFilename(), content: readFileSync(await file.path()) };
}

test('a deadline passes and the supervisor sees the item on the overdue board and exports it', async ({
  page,
  request,
  shot,
}) => {
  test.setTimeout(120_000);
  // A category whose limits run out in seconds, set by the admin: the worker marks it late at once.
  const admin = await tokenOf(request, 'admin');
  const code = `drill-${Date.now().toString(36)}`;
  await callApi(request, admin, 'post', '/categories', {
    code,
    name: unique('督办演练'),
    nameEn: 'Supervision drill',
  });
  await callApi(request, admin, 'put', `/sla-policies/${code}/normal`, {
    clock: '24x7',
    accept: 'PT5S',
    dispatch: 'PT5S',
    resolve: 'PT8S',
    feedback: 'PT5M',
    warnAt: [0.5],
  });
  const title = unique('路口红绿灯坏了');
  const resident = await tokenOf(request, 'resident-1');
  await callApi(request, resident, 'post', '/requests', {
    title,
    description: '十字路口的红绿灯一直闪黄灯，车辆抢行。',
    category: code,
    priority: 'normal',
  });

  await page.goto('/');
  await signIn(page, 'town-supervisor');
  await expect(page).toHaveURL(/\/overdue$/);
  for (const tab of [/^督办$/, /^统计$/, /^诉求$/, /^(\d+ )?消息$/, /^我的$/]) {
    await expect(page.getByRole('tab', { name: tab })).toBeVisible();
  }
  await expect(page.getByText('每分钟自动刷新')).toBeVisible();

  const row = page.locator('a.row').filter({ hasText: title });
  await expect(async () => {
    await page.getByRole('button', { name: '立即刷新' }).click();
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  // How late in words, who holds it and how far up it went; the most late first.
  await expect(row.locator('.row__late')).toHaveText(/^(已|严重|特别严重)超时 /);
  await expect(row.locator('[data-owner]')).not.toBeEmpty();
  await expect(row.locator('[data-escalated]')).toHaveText(/^(未升级|\d+ 次)$/);
  await expect(row).toContainText('咸一村');
  const hoursLate = await page
    .locator('a.row')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-hours-late'))));
  expect(hoursLate).toEqual([...hoursLate].sort((a, b) => b - a));
  await expect(page.locator('[data-overdue-total]')).toContainText(/咸祥镇共 \d+ 件超时未办结/);
  await shot('overdue-board');

  const csv = await download(page, '导出 CSV');
  expect(csv.name).toMatch(/^overdue-xianxiang[\w-]*\.csv$/);
  expect(csv.content.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(csv.content.toString('utf8')).toContain(title);
  const xlsx = await download(page, '导出 Excel');
  expect(xlsx.name).toMatch(/^overdue-xianxiang[\w-]*\.xlsx$/);
  expect(xlsx.content.subarray(0, 2).toString('latin1')).toBe('PK');
  await expect(page.getByText(`已下载 ${xlsx.name}`)).toBeVisible();

  await page.setViewportSize(DESK);
  await expect(row).toBeVisible();
  await shot('overdue-board-desk');
  await page.setViewportSize({ width: 390, height: 844 });

  // The statistics: the rates, the charts (ECharts loads only here), the ranking, the trend.
  await page.getByRole('tab', { name: '统计' }).click();
  await expect(page).toHaveURL(/\/stats$/);
  await expect(page.locator('[data-rate="responseRate"]')).toContainText('响应率');
  await expect(page.getByRole('img', { name: '各单位指标' }).locator('canvas')).toBeVisible();
  await expect(
    page.getByRole('img', { name: '逐月趋势（近12个月）' }).locator('canvas'),
  ).toBeVisible();
  await expect(page.getByRole('list', { name: '红黑榜' }).getByRole('listitem')).toHaveCount(3);
  await expect(page.locator('[data-trend-table] tbody tr')).toHaveCount(12);
  await shot('stats');
  const stats = await download(page, '导出 CSV');
  expect(stats.name).toMatch(/^stats-xianxiang.*\.csv$/);
  expect(stats.content.toString('utf8')).toContain('咸一村');

  await page.setViewportSize(DESK);
  await expect(page.getByRole('img', { name: '各单位指标' }).locator('canvas')).toBeVisible();
  await shot('stats-desk');
  await page.setViewportSize({ width: 390, height: 844 });

  // Drill down: a branch opens its requests, the overdue ones first.
  await page.locator('[data-unit-table]').getByRole('button', { name: '咸一村' }).click();
  await expect(page).toHaveURL(/\/stats\/units\//);
  await expect(page.locator('.van-nav-bar__title')).toHaveText('咸一村的诉求');
  await expect(page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
  await shot('unit-requests');
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await shot('overdue-request');
});

test('a supervisor approves an extension and refuses a milestone plan from the list of what waits', async ({
  page,
  request,
  shot,
}) => {
  const title = unique('危房改造材料未齐');
  const resident = await tokenOf(request, 'resident-3');
  const created = await callApi<{ id: string; version: number }>(
    request,
    resident,
    'post',
    '/requests',
    {
      title,
      description: '等上级审批材料，需要多些时间。',
      category: 'other',
    },
  );
  const secretary = await tokenOf(request, 'secretary-2');
  const accepted = await callApi<{ version: number }>(
    request,
    secretary,
    'post',
    `/requests/${created.id}/events`,
    { type: 'ACCEPT' },
    { 'if-match': `"${created.version}"` },
  );
  const until = new Date(Date.now() + 20 * 86_400_000).toISOString();
  await callApi(
    request,
    secretary,
    'post',
    `/requests/${created.id}/events`,
    { type: 'REQUEST_EXTENSION', until, reason: '等区里的审批材料' },
    { 'if-match': `"${accepted.version}"` },
  );

  // Another one, to be done in steps: the secretary proposes a milestone plan.
  const planTitle = unique('村道拓宽分步实施');
  const big = await callApi<{ id: string; version: number }>(
    request,
    resident,
    'post',
    '/requests',
    {
      title: planTitle,
      description: '村道太窄，会车困难，需要立项拓宽。',
      category: 'roads',
    },
  );
  const bigAccepted = await callApi<{ version: number }>(
    request,
    secretary,
    'post',
    `/requests/${big.id}/events`,
    { type: 'ACCEPT' },
    { 'if-match': `"${big.version}"` },
  );
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
  await callApi(
    request,
    secretary,
    'post',
    `/requests/${big.id}/events`,
    {
      type: 'PROPOSE_PLAN',
      reason: '需要立项和财政审批',
      milestones: [
        { name: '立项', due: day(10) },
        { name: '财政审批', due: day(30) },
        { name: '施工完成', due: day(60) },
      ],
    },
    { 'if-match': `"${bigAccepted.version}"` },
  );

  await page.goto('/');
  await signIn(page, 'town-supervisor');
  const notice = page.locator('[data-pending-approvals]');
  await expect(notice).toContainText(/\d+ 件延期或节点计划等待审批/);
  await notice.click();
  await expect(page).toHaveURL(/\/approvals$/);
  const item = page.locator('[data-approvals="extension"] li.approval').filter({ hasText: title });
  await expect(item).toContainText('等区里的审批材料');
  await expect(item.locator('[data-until]')).not.toBeEmpty();
  await shot('approvals');

  await item.getByRole('button', { name: '不批准延期' }).click();
  const form = page.locator('form[data-form="DECIDE_EXTENSION"]');
  await form.getByRole('button', { name: '不批准延期' }).click();
  await expect(form.getByText('必填')).toBeVisible();
  await shot('extension-refuse-needs-reason', { page: false });
  await form.getByRole('button', { name: '取消' }).click();

  await item.getByRole('button', { name: '批准延期', exact: true }).click();
  await form.getByLabel('审批意见').fill('同意，月底前办结。');
  await shot('extension-approve-form', { page: false });
  await form.getByRole('button', { name: '批准延期', exact: true }).click();
  await expect(page.getByText('已批准', { exact: true })).toBeVisible();
  await expect(page.locator('li.approval').filter({ hasText: title })).toHaveCount(0);
  await shot('approvals-after');

  // The plan is refused with a reason: the API requires one.
  const plan = page.locator('[data-approvals="plan"] li.approval').filter({ hasText: planTitle });
  await expect(plan.getByRole('list', { name: '计划的节点' }).getByRole('listitem')).toHaveText([
    /第 1 步：立项/,
    /第 2 步：财政审批/,
    /第 3 步：施工完成/,
  ]);
  await plan.getByRole('button', { name: '不批准计划' }).click();
  const refuse = page.locator('form[data-form="DECIDE_PLAN"]');
  await refuse.getByLabel('不予批准的理由').fill('节点太松，立项请在一周内完成。');
  await shot('plan-refuse-form', { page: false });
  await refuse.getByRole('button', { name: '不批准计划' }).click();
  await expect(page.getByText('已不予批准', { exact: true })).toBeVisible();
  await expect(page.locator('li.approval').filter({ hasText: planTitle })).toHaveCount(0);
  await signOut(page);
});

test('an admin adds a holiday, sees it listed and removes it', async ({ page, request, shot }) => {
  const admin = await tokenOf(request, 'admin');
  const calendar = await callApi<{ holidays: string[]; makeupWorkdays: string[] }>(
    request,
    admin,
    'get',
    '/calendar',
  );
  // A weekday next year that the calendar does not hold yet.
  const year = new Date().getFullYear() + 1;
  const free = [...Array(28).keys()]
    .map((d) => `${year}-06-${String(d + 1).padStart(2, '0')}`)
    .find((d) => {
      const day = new Date(`${d}T12:00:00Z`).getUTCDay();
      return day !== 0 && day !== 6 && !calendar.holidays.includes(d);
    }) as string;

  await page.goto('/');
  await signIn(page, 'admin');
  await expect(page).toHaveURL(/\/admin$/);
  for (const tab of [/^管理$/, /^诉求$/, /^(\d+ )?消息$/, /^我的$/]) {
    await expect(page.getByRole('tab', { name: tab })).toBeVisible();
  }
  await shot('admin-home');

  await page.getByRole('button', { name: /^工作日历/ }).click();
  await expect(page).toHaveURL(/\/admin\/calendar$/);
  await expect(page.getByText(/^工作时间：/)).toBeVisible();
  await shot('admin-calendar');

  const form = page.locator('form[data-form="calendar-day"]');
  // A make-up working day on a weekday means nothing: the form says so and sends nothing.
  await form.getByLabel('日期').fill(free);
  await form.getByRole('radio', { name: '调休上班' }).click();
  await form.getByRole('button', { name: '添加节假日或调休' }).click();
  await expect(form.getByText('调休上班日应当是周末')).toBeVisible();
  await shot('admin-calendar-invalid');

  await form.getByRole('radio', { name: '放假' }).click();
  await form.getByRole('button', { name: '添加节假日或调休' }).click();
  await expect(page.getByText(`已添加 ${free}`)).toBeVisible();
  const listed = page.locator(`[data-list="holiday"] li[data-date="${free}"]`);
  await expect(listed).toBeVisible();
  await expect(listed).toContainText(/星期[一二三四五]/);
  await shot('admin-calendar-added');
  const after = await callApi<{ holidays: string[] }>(request, admin, 'get', '/calendar');
  expect(after.holidays).toContain(free);

  await listed.getByRole('button', { name: `删除 ${free}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await expect(page.getByText(`已删除 ${free}`)).toBeVisible();
  await expect(listed).toHaveCount(0);
  const removed = await callApi<{ holidays: string[] }>(request, admin, 'get', '/calendar');
  expect(removed.holidays).not.toContain(free);
  expect(removed.holidays.length).toBe(calendar.holidays.length);
});

test('an admin’s other screens: units, users, categories, time limits, webhooks', async ({
  page,
  shot,
}) => {
  await page.goto('/');
  await signIn(page, 'admin');

  await page.getByRole('button', { name: /^单位/ }).click();
  await expect(page.locator('[data-unit="xianxiang"]')).toBeVisible();
  await expect(page.locator('[data-unit="branch-1"]')).toBeVisible();
  await shot('admin-units');
  await page.getByRole('button', { name: '返回' }).click();

  await page.getByRole('button', { name: /^用户/ }).click();
  await expect(page.locator('[data-user="secretary-1"]')).toBeVisible();
  await page.locator('[data-user="secretary-1"]').click();
  await expect(page.getByRole('switch', { name: '账号启用' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await shot('admin-user-edit', { page: false });
  await closeSheet(page);
  await page.getByRole('button', { name: '新增用户' }).click();
  const username = `secretary-${Date.now().toString(36)}`;
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('姓名').fill('测试书记');
  await page.getByLabel('初始密码').fill('a-long-secret-42');
  await page.getByLabel('所属单位').click();
  await page.getByRole('button', { name: '咸二村（村社）' }).click();
  await shot('admin-user-new', { page: false });
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator(`[data-user="${username}"]`)).toContainText('咸二村');
  await shot('admin-users');
  await page.getByRole('button', { name: '返回' }).click();

  await page.getByRole('button', { name: /^诉求类别/ }).click();
  await expect(page.locator('[data-category="roads"]')).toContainText('道路交通');
  await shot('admin-categories');
  await page.getByRole('button', { name: '返回' }).click();

  await page.getByRole('button', { name: /^办理时限/ }).click();
  const roads = page.locator('section[data-category="roads"]');
  await expect(roads.locator('[data-priority="urgent"]')).toContainText('受理');
  await shot('admin-deadlines');
  await roads.locator('[data-priority="urgent"]').click();
  await expect(page.getByLabel('办结', { exact: true })).toBeVisible();
  await shot('admin-deadline-form', { page: false });
  await closeSheet(page);
  await page.getByRole('button', { name: '返回' }).click();

  await page.getByRole('button', { name: /^消息推送/ }).click();
  await expect(page.getByText('还没有推送地址')).toBeVisible();
  await expect(page.getByText('推送失败（0）')).toBeVisible();
  await shot('admin-webhooks');
});

interface UnitOfApi {
  id: string;
  code: string;
  contactLeaderId: string | null;
  area: { latitude: number; longitude: number; radiusM: number } | null;
}

test('an admin sets a branch’s contact leader and the town’s area, and sees them after a reload', async ({
  page,
  request,
  shot,
}) => {
  const admin = await tokenOf(request, 'admin');
  const units = await callApi<UnitOfApi[]>(request, admin, 'get', '/units');
  const town = units.find((u) => u.code === 'xianxiang') as UnitOfApi;
  const seeded = town.area as NonNullable<UnitOfApi['area']>;
  const list = page.locator('.van-cell-group');
  const sheet = page.locator('form.sheet');

  await page.goto('/');
  await signIn(page, 'admin');
  await page.getByRole('button', { name: /^单位/ }).click();
  await expect(list.locator('[data-unit="branch-2"]')).toContainText('未设包联领导');

  // The contact leader is picked from the staff of the town and the county above the branch.
  await list.locator('[data-unit="branch-2"]').click();
  await sheet.getByLabel('包联领导').click();
  await page.getByRole('button', { name: '镇督查办 · 咸祥镇 · 督办人员' }).click();
  await expect(sheet.getByLabel('包联领导')).toHaveValue('镇督查办 · 咸祥镇 · 督办人员');
  await shot('admin-unit-leader', { page: false });
  await sheet.getByRole('button', { name: '保存' }).click();
  await expect(list.locator('[data-unit="branch-2"]')).toContainText('包联领导：镇督查办');

  try {
    // The town's area, read off a Chinese map: impossible numbers are refused before sending.
    await list.locator('[data-unit="xianxiang"]').click();
    await expect(sheet.getByRole('switch', { name: '设定乡镇范围' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    await expect(sheet.getByLabel('中心纬度')).toHaveValue(String(seeded.latitude));
    await sheet.getByRole('radio', { name: /国内地图/ }).click();
    await sheet.getByLabel('中心纬度').fill('129.72');
    await sheet.getByLabel('中心经度').fill('121.745');
    await sheet.getByLabel('半径（米）').fill('50');
    await sheet.getByRole('button', { name: '保存' }).click();
    await expect(sheet.getByText('请填 -90 到 90 之间的数')).toBeVisible();
    await expect(sheet.getByText('请填 100 到 200000 之间的数')).toBeVisible();
    await shot('admin-unit-area-invalid', { page: false });
    await sheet.getByLabel('中心纬度').fill('29.72');
    await sheet.getByLabel('半径（米）').fill('12000');
    await shot('admin-unit-form', { page: false });
    await sheet.getByRole('button', { name: '保存' }).click();
    await expect(page.getByText('已保存：咸祥镇')).toBeVisible();

    // Kept in WGS-84: the centre moved from the map's by the published offset (some 500 m here).
    const saved = await callApi<UnitOfApi>(request, admin, 'get', `/units/${town.id}`);
    const area = saved.area as NonNullable<UnitOfApi['area']>;
    expect(area.radiusM).toBe(12000);
    expect(area.latitude).toBeGreaterThan(29.72);
    expect(area.latitude).toBeLessThan(29.725);
    expect(area.longitude).toBeGreaterThan(121.735);
    expect(area.longitude).toBeLessThan(121.745);
    const summary = `范围：中心 ${Number(area.latitude.toFixed(6))}, ${Number(area.longitude.toFixed(6))}（GPS），半径 12000 米`;

    await page.reload();
    await expect(list.locator('[data-unit="xianxiang"]')).toContainText(summary);
    await expect(list.locator('[data-unit="branch-2"]')).toContainText('包联领导：镇督查办');
    await shot('admin-units-leader-area');

    // Removed again: the branch has no contact leader, as the other tests expect.
    await list.locator('[data-unit="branch-2"]').click();
    await sheet.getByRole('button', { name: '移除包联领导' }).click();
    await sheet.getByRole('button', { name: '保存' }).click();
    await expect(list.locator('[data-unit="branch-2"]')).toContainText('未设包联领导');
    const branch = units.find((u) => u.code === 'branch-2') as UnitOfApi;
    expect(
      (await callApi<UnitOfApi>(request, admin, 'get', `/units/${branch.id}`)).contactLeaderId,
    ).toBe(null);
  } finally {
    // The other tests place their requests in the seeded area.
    await callApi(request, admin, 'patch', `/units/${town.id}`, {
      area: { ...seeded, coordinateSystem: 'wgs84' },
    });
  }
});

test('a county supervisor opens a town’s figures from the county’s, then goes back', async ({
  page,
  shot,
}) => {
  await page.goto('/');
  await signIn(page, 'county-supervisor');
  await page.getByRole('tab', { name: '统计' }).click();
  const towns = page.locator('[data-unit-table]');
  await expect(towns.getByRole('button', { name: '咸祥镇' })).toBeVisible();
  await expect(page.getByRole('list', { name: '红黑榜' }).getByRole('listitem')).toHaveCount(1);
  await shot('county-stats');

  await towns.getByRole('button', { name: '咸祥镇' }).click();
  await expect(page).toHaveURL(/\/stats\?unitId=/);
  await expect(page.locator('.van-nav-bar__title')).toHaveText('咸祥镇 · 统计');
  for (const branch of ['咸一村', '咸二村', '南头社区']) {
    await expect(
      page.locator('[data-unit-table]').getByRole('button', { name: branch }),
    ).toBeVisible();
  }
  await shot('county-town-stats');
  await page.getByRole('button', { name: '返回' }).click();
  await expect(page).toHaveURL(/\/stats$/);
  await expect(page.locator('.van-nav-bar__title')).toHaveText('统计分析');
});
