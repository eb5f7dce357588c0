import {
  act,
  apiCall,
  expect,
  patchStoredSession,
  signIn,
  signOut,
  storedSession,
  submitRequest,
  test,
  unique,
} from './fixtures';

interface Request {
  id: string;
  reference: string;
  version: number;
}

/** The resident's feedback link from their in-app notification about this request. */
function feedbackLinkOf(page: import('@playwright/test').Page, title: string, nth = 0) {
  return page
    .locator('li')
    .filter({ has: page.locator('[data-notification="resolved"]') })
    .filter({ hasText: title })
    .nth(nth)
    .locator('[data-feedback-link]');
}

/** From a resident's home screen to their messages. */
async function openNotifications(page: import('@playwright/test').Page) {
  await expect(page).toHaveURL(/\/mine$/);
  await page.getByRole('tab', { name: /消息$/ }).click();
  await expect(page).toHaveURL(/\/notifications$/);
}

/** Notifications leave through the outbox and the worker: reload until this one is there. */
async function waitForNotification(
  page: import('@playwright/test').Page,
  link: import('@playwright/test').Locator,
) {
  await expect(async () => {
    await page.reload();
    await expect(link).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000, intervals: [1_000] });
}

test('the secretary works the inbox by deadline, the resident confirms with five stars through the feedback link', async ({
  page,
  shot,
  expectHttpError,
}) => {
  test.setTimeout(120_000);
  const title = unique('村道边的排水沟堵了');
  await page.goto('/');
  await signIn(page, 'resident-4');
  await submitRequest(
    page,
    {
      title,
      description: '下雨天水漫到路面上，电动车经过很危险。',
      category: '污水排放',
      location: '咸二村文化礼堂东侧',
    },
    shot,
  );
  const reference = (await page.getByText(/^XX-\d{4}-\d{6,}$/).textContent()) ?? '';
  await signOut(page);

  await signIn(page, 'secretary-2');
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByRole('tab', { name: '待受理' })).toHaveAttribute('aria-selected', 'true');
  for (const name of ['我在办', '已暂停', '已超时']) {
    await expect(page.getByRole('tab', { name, exact: true })).toBeVisible();
  }
  const item = page.getByRole('link', { name: new RegExp(title) });
  await expect(item.locator('.deadline')).toContainText('受理时限 · 剩余');
  await shot('secretary-inbox-by-deadline');

  // A reference number typed in the search box opens that request.
  await page.getByRole('searchbox', { name: '搜索诉求' }).fill(reference.toLowerCase());
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await shot('secretary-request-by-reference');
  await act(page, '受理');
  await expect(page.getByText('村社已受理，正在办理')).toBeVisible();
  await act(
    page,
    '办结',
    { 办理结果: '已疏通排水沟三十米，并清走淤泥。' },
    { shot: () => shot('secretary-resolve-form', { page: false }) },
  );
  await expect(page.getByText('已办结，等待确认')).toBeVisible();
  await shot('secretary-resolved');
  await signOut(page);

  await signIn(page, 'resident-4');
  await openNotifications(page);
  const link = feedbackLinkOf(page, title);
  await waitForNotification(page, link);
  await expect(link).toHaveText('去评价');
  await shot('resident-notification-with-feedback-link');
  await link.click();

  await expect(page).toHaveURL(/\/f\/[A-Za-z0-9_-]{54}$/);
  const feedbackUrl = page.url();
  await expect(page.getByRole('heading', { name: '办理结果评价' })).toBeVisible();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByText('已疏通排水沟三十米，并清走淤泥。')).toBeVisible();
  await expect(page.getByText('咸二村 · 李书记')).toBeVisible();
  await shot('feedback-link');
  const confirm = page.locator('form[data-answer="confirm"]');
  await confirm.getByRole('radio').nth(4).click();
  await expect(confirm.getByText('5 星 · 非常满意')).toBeVisible();
  await confirm.getByLabel('想说的话（选填）').fill('第二天就来疏通了，谢谢！');
  await shot('feedback-five-stars');
  await confirm.getByRole('button', { name: '确认办结' }).click();
  await expect(page.getByRole('heading', { name: '谢谢您的评价！' })).toBeVisible();
  await expect(page.getByText(`诉求 ${reference} 已确认办结。`)).toBeVisible();
  await shot('feedback-thanks');

  // The text message's link is the same page, without signing in; used once, it says so.
  await signOut(page);
  expectHttpError(410, /^\/api\/v1\/feedback\//);
  await page.goto(feedbackUrl);
  await expect(page.getByRole('heading', { name: '这条链接已经用过了' })).toBeVisible();
  await expect(page.getByRole('link', { name: '登录查看我的诉求' })).toBeVisible();
  await shot('feedback-link-used');

  await page.getByRole('link', { name: '登录查看我的诉求' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await shot('sign-in');
  await signIn(page, 'resident-4');
  await expect(page.getByRole('link', { name: new RegExp(title) })).toContainText('已完成');
  await shot('resident-my-requests');
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByText('已完成', { exact: true })).toBeVisible();
  await expect(page.getByText('5 星', { exact: true })).toBeVisible();
  await shot('resident-request-confirmed');
});

test('the escalation loop: secretary escalates, the dispatcher dispatches to a department and a named cadre, the assignee resolves, the resident disputes and then confirms', async ({
  page,
  shot,
  expectHttpError,
}) => {
  test.setTimeout(180_000);
  const title = unique('镇东路口路面塌陷');
  await page.goto('/');
  await signIn(page, 'resident-5');
  await submitRequest(
    page,
    {
      title,
      description: '路口有一个半米宽的坑，晚上看不清，已经有人摔倒。',
      category: '道路交通',
      location: '南头社区镇东路口',
    },
    shot,
  );
  await signOut(page);

  await signIn(page, 'secretary-3');
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await act(page, '受理');
  await act(
    page,
    '上报镇里',
    { 原因: '需要交通办封路施工，村里办不了。' },
    { shot: () => shot('secretary-escalate-form', { page: false }) },
  );
  await expect(page.getByText('已上报镇里，等待派单')).toBeVisible();
  await shot('secretary-escalated');
  await signOut(page);

  await signIn(page, 'dispatcher');
  await expect(page.getByRole('tab', { name: '待派单' })).toHaveAttribute('aria-selected', 'true');
  const queued = page.getByRole('link', { name: new RegExp(title) });
  await expect(queued.locator('.deadline')).toContainText('派单时限');
  await shot('dispatcher-queue');
  await queued.click();
  await shot('dispatcher-request');
  await act(
    page,
    '派单',
    { 'radio:unit': '环境办' },
    { shot: () => shot('dispatch-to-a-department', { page: false }) },
  );
  await expect(page.getByText('已派给部门办理')).toBeVisible();
  await expect(page.locator('.van-cell').filter({ hasText: '承办单位' })).toContainText('环境办');
  // Second thoughts: roads are 交通办's, and 陈主任 is to see to it himself.
  await act(
    page,
    '改派',
    { 'radio:unit': '交通办', 'radio:person': '交通办陈主任', 原因: '路面塌陷归交通办' },
    { shot: () => shot('dispatch-to-a-cadre', { page: false }) },
  );
  await expect(page.locator('.van-cell').filter({ hasText: '承办人' })).toContainText(
    '交通办陈主任',
  );
  await shot('dispatcher-dispatched');
  await signOut(page);

  await signIn(page, 'roads-officer');
  await expect(page.getByRole('tab', { name: '派给我' })).toHaveAttribute('aria-selected', 'true');
  await shot('assignee-queue');
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.locator('.van-cell').filter({ hasText: '承办单位' })).toContainText('交通办');
  await shot('assignee-request');
  await act(page, '办结', { 办理结果: '已回填沥青并压实，设置了警示牌。' });
  await expect(page.getByText('已办结，等待确认')).toBeVisible();
  await shot('assignee-resolved');
  await signOut(page);

  // Not solved: the resident says so through the link, and it goes back to the department.
  await signIn(page, 'resident-5');
  await openNotifications(page);
  const firstLink = feedbackLinkOf(page, title);
  await waitForNotification(page, firstLink);
  await shot('resident-notifications');
  await firstLink.click();
  await expect(page).toHaveURL(/\/f\/[A-Za-z0-9_-]{54}$/);
  const oldLink = page.url();
  const dispute = page.locator('form[data-answer="dispute"]');
  await dispute.getByLabel('还有什么没解决').fill('警示牌放了，坑边还在塌，没有修好。');
  await shot('feedback-dispute');
  await dispute.getByRole('button', { name: '还没解决，请继续办理' }).click();
  await expect(page.getByRole('heading', { name: '已收到，我们继续办' })).toBeVisible();
  await shot('feedback-disputed');
  await page.getByRole('link', { name: '查看我的诉求' }).click();
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByText('已派给部门办理')).toBeVisible();
  await shot('resident-request-back-with-department');
  await signOut(page);

  await signIn(page, 'roads-officer');
  await expect(page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
  await shot('assignee-queue-disputed');
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByRole('listitem').filter({ hasText: '坑边还在塌' })).toBeVisible();
  await shot('assignee-request-disputed');
  await act(page, '办结', { 办理结果: '挖开重铺了两平方米路面，验收合格。' });
  await signOut(page);

  // The first link is for the first resolution: it says a newer one counts. In the app, the
  // resident confirms the second with five stars.
  await signIn(page, 'resident-5');
  expectHttpError(410, /^\/api\/v1\/feedback\//);
  await page.goto(oldLink);
  await expect(page.getByRole('heading', { name: '请用最新的评价链接' })).toBeVisible();
  await shot('feedback-link-superseded');
  await page.getByRole('link', { name: '查看我的诉求' }).click();
  await page.getByRole('tab', { name: '待我确认' }).click();
  await expect(page.getByRole('link', { name: new RegExp(title) })).toBeVisible();
  await shot('resident-to-confirm');
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByText('挖开重铺了两平方米路面，验收合格。').first()).toBeVisible();
  await shot('resident-request-resolved');
  await page.getByRole('button', { name: '确认满意' }).click();
  const confirm = page.locator('form[data-form="CONFIRM"]');
  await confirm.getByRole('radio').nth(4).click();
  await expect(confirm.getByText('5 星 · 非常满意')).toBeVisible();
  await shot('resident-confirm-form', { page: false });
  await confirm.getByRole('button', { name: '确认满意' }).click();
  await expect(page.getByText('已完成', { exact: true })).toBeVisible();
  await expect(page.locator('.van-cell').filter({ hasText: '承办人' })).toContainText(
    '交通办陈主任',
  );
  await shot('resident-confirmed-after-loop');
});

test('a secretary records a problem solved on the spot, finds requests by words and by what they wait for; the session outlives its access token and ends at the API', async ({
  page,
  shot,
  expectHttpError,
}) => {
  test.setTimeout(120_000);
  const lamp = unique('祠堂前路灯坏了');
  const held = unique('老年食堂的灶台漏气');
  await page.goto('/');
  await signIn(page, 'secretary-1');
  const record = (title: string) =>
    apiCall<Request>(page, 'POST', '/requests', {
      title,
      description: '走访时群众反映。',
      category: title === lamp ? 'roads' : 'elderly-care',
      channel: 'visit',
      residentName: '陈阿公',
      residentPhone: '13800138999',
    });
  await record(lamp);
  let heldRequest = await record(held);
  for (const event of [{ type: 'ACCEPT' }, { type: 'HOLD', reason: '等燃气公司上门检测。' }]) {
    heldRequest = await apiCall<Request>(
      page,
      'POST',
      `/requests/${heldRequest.id}/events`,
      event,
      {
        'if-match': `"${heldRequest.version}"`,
      },
    );
  }

  // A problem solved there and then is recorded, accepted and resolved in one go.
  const spot = unique('村口路灯当场修好');
  await page.getByRole('tab', { name: '代为登记' }).click();
  await page.getByLabel('群众姓名').fill('陈阿公');
  await page.getByLabel('联系电话').fill('13800138999');
  await page.getByLabel('来源渠道').click();
  await page.getByRole('button', { name: '走访' }).click();
  await page.getByRole('switch', { name: '当场已解决' }).click();
  await page.getByLabel('办理结果').fill('走访时发现灯泡松动，当场拧紧，已亮。');
  await page.getByLabel('标题').fill(spot);
  await page.getByLabel('详细情况').fill('村口路灯一闪一闪。');
  await page.getByLabel('类别').click();
  await page.getByRole('button', { name: '道路交通' }).click();
  await shot('secretary-record-on-the-spot');
  await page.getByRole('button', { name: '提交诉求' }).click();
  await expect(page.getByRole('heading', { name: spot })).toBeVisible();
  await expect(page.getByText('已办结，等待确认')).toBeVisible();
  await expect(page.getByRole('listitem')).toHaveText([/^提交诉求/, /^受理/, /^办结.*当场拧紧/]);
  await expect(page.getByRole('button', { name: '回访销单' })).toBeVisible();
  await shot('secretary-resolved-on-the-spot');

  await page.goto('/inbox');
  await page.getByRole('tab', { name: '已暂停', exact: true }).click();
  const heldCard = page.getByRole('link', { name: new RegExp(held) });
  await expect(heldCard.locator('.deadline')).toContainText('已暂停计时');
  await expect(page.getByRole('link', { name: new RegExp(lamp) })).toBeHidden();
  await shot('secretary-on-hold');

  // Words search every list.
  await page.getByRole('searchbox', { name: '搜索诉求' }).fill('祠堂 路灯');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page.getByRole('tab', { name: '全部', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByText('“祠堂 路灯”的搜索结果')).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(lamp) })).toBeVisible();
  await expect(heldCard).toBeHidden();
  await shot('secretary-search');
  await page.getByRole('button', { name: '清除搜索' }).click();
  await expect(heldCard).toBeVisible();
  await shot('secretary-all');

  // The access token ran out (as it does after 15 minutes): the app refreshes it first.
  const first = await storedSession(page);
  await patchStoredSession(page, { expiresAt: Date.now() - 1 });
  let refresh = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
  await page.reload();
  expect((await refresh).status()).toBe(200);
  await expect(page.getByRole('tab', { name: '待受理' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('link', { name: new RegExp(lamp) })).toBeVisible();
  const second = await storedSession(page);
  expect(second.refreshToken).not.toBe(first.refreshToken);
  expect(second.accessToken).not.toBe(first.accessToken);

  // The API refuses the access token it is shown: one refresh, and the calls are sent again.
  expectHttpError(401, /^\/api\/v1\/(requests|me\/notifications)$/);
  await patchStoredSession(page, { accessToken: 'revoked' });
  refresh = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
  await page.reload();
  expect((await refresh).status()).toBe(200);
  await expect(page.getByRole('link', { name: new RegExp(lamp) })).toBeVisible();
  await expect(page).toHaveURL(/\/inbox$/);
  await shot('secretary-inbox-after-refresh');
  const third = await storedSession(page);
  expect(third.refreshToken).not.toBe(second.refreshToken);

  // Signing out ends the session at the API: its refresh token no longer works.
  const logout = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
  await signOut(page);
  expect((await logout).status()).toBe(204);
  const after = await page.request.post('/api/v1/auth/refresh', {
    data: { refreshToken: third.refreshToken },
  });
  expect(after.status()).toBe(401);
});
