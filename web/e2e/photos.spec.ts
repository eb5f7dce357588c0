import type { APIRequestContext, Page } from '@playwright/test';
import {
  act,
  apiCall,
  callApi,
  expect,
  openAction,
  photo,
  signIn,
  signOut,
  test,
  tokenOf,
  unique,
} from './fixtures';

interface Created {
  id: string;
}

/** Straight to a request's page, once the home screen the sign-in led to has settled. */
async function openRequest(page: Page, id: string) {
  await page.waitForLoadState('networkidle');
  await page.goto(`/requests/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

/** A gallery of photos on the page, by its heading; each photo shown from a blob: URL. */
async function expectPhotos(page: Page, label: string, count: number) {
  const gallery = page.getByRole('region', { name: label });
  await expect(gallery.getByRole('button')).toHaveCount(count);
  const images = gallery.locator('img');
  await expect(images).toHaveCount(count);
  for (let i = 0; i < count; i += 1) {
    await expect(images.nth(i)).toHaveAttribute('src', /^blob:/);
    // Drawn: the browser decoded what the API served.
    await expect
      .poll(() => images.nth(i).evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
  }
  return gallery;
}

/**
 * The admin's rule that a category needs a photo of the work done to be resolved, as the admin's
 * categories screen sets it. The walk-throughs run with it off (global-setup.ts); this test turns
 * it on for sanitation while it runs.
 */
async function evidenceRule(request: APIRequestContext, code: string, on: boolean) {
  const admin = await tokenOf(request, 'admin');
  const categories = await callApi<{ id: string; code: string }[]>(
    request,
    admin,
    'get',
    '/categories',
  );
  const category = categories.find((c) => c.code === code);
  await callApi(request, admin, 'patch', `/categories/${category?.id}`, { evidenceRequired: on });
}

test.describe('sanitation needs a photo of the work done', () => {
  test.beforeAll(({ request }) => evidenceRule(request, 'sanitation', true));
  test.afterAll(({ request }) => evidenceRule(request, 'sanitation', false));

  test('a resident submits with a photo and adds one; the secretary accepts and resolves with a photo; the resident sees them all', async ({
    page,
    shot,
  }) => {
    const title = unique('村口垃圾堆没人清');
    await page.goto('/sign-in');
    const found = await photo(page, 'garbage.png', 'image/png', ['#7c5c3b', '#3f6212'], '垃圾堆');
    const more = await photo(page, 'more.jpg', 'image/jpeg', ['#475569', '#92400e'], '又多了');
    const cleaned = await photo(
      page,
      'cleaned.jpg',
      'image/jpeg',
      ['#0e7490', '#15803d'],
      '已清运',
    );

    await signIn(page, 'resident-5');
    await page.getByRole('tab', { name: '我要反映' }).click();
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('详细情况').fill('垃圾在村口堆了一个星期，天热了有味道。');
    await page.getByLabel('类别').click();
    await page.getByRole('button', { name: '环境卫生' }).click();
    await page.getByLabel('地点').fill('咸三村村口公交站旁');
    // The camera and the album are both offered; a phone opens its camera for the first.
    await expect(page.getByLabel('拍照')).toHaveAttribute('capture', 'environment');
    await expect(page.getByLabel('拍照')).toHaveAttribute('accept', 'image/*');
    await page.getByLabel('从相册选').setInputFiles(found);
    await expect(page.getByText('已上传 1 张，最多 9 张')).toBeVisible();
    await expect(page.locator('.photo-picker__item')).toHaveAttribute('data-status', 'done');
    await shot('resident-new-request-with-photo');
    await page.getByRole('button', { name: '提交诉求' }).click();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expectPhotos(page, '反映时的照片', 1);
    await shot('resident-request-with-photo');

    // Add information, with another photo.
    const comment = await openAction(page, '补充说明');
    await comment.getByLabel('补充内容').fill('今天又多了几袋。');
    await comment.getByLabel('拍照').setInputFiles(more);
    await expect(comment.getByText('已上传 1 张，最多 9 张')).toBeVisible();
    await shot('resident-comment-with-photo', { page: false });
    await comment.getByRole('button', { name: '补充说明', exact: true }).click();
    await expect(page.locator('.van-toast').filter({ hasText: '已补充说明' })).toBeVisible();
    const entry = page.getByRole('listitem').filter({ hasText: '今天又多了几袋。' });
    await expectPhotos(page, '补充的照片', 1);
    await expect(entry.getByRole('region', { name: '补充的照片' })).toBeVisible();
    await shot('resident-comment-in-timeline');
    const id = page.url().split('/').pop() as string;
    await signOut(page);

    await signIn(page, 'secretary-3');
    await openRequest(page, id);
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expectPhotos(page, '反映时的照片', 1);
    await act(page, '受理');
    const resolve = await openAction(page, '办结');
    // Said before anything is typed: this category needs a photo of the work done.
    await expect(resolve.locator('[data-evidence-required]')).toHaveText(
      '“环境卫生”类诉求办结时必须上传办理后的照片（至少 1 张）',
    );
    await resolve.getByLabel('办理结果').fill('已组织保洁员清运，并在村口加放两个垃圾桶。');
    await resolve.getByRole('button', { name: '办结', exact: true }).click();
    await expect(resolve.getByRole('alert')).toHaveText('请至少上传 1 张办理后的照片');
    await shot('secretary-resolve-needs-photo', { page: false });
    await expect(page.getByText('村社已受理，正在办理')).toBeVisible();

    await resolve.getByLabel('拍照').setInputFiles(cleaned);
    await expect(resolve.getByText('已上传 1 张，最多 9 张')).toBeVisible();
    await expect(resolve.getByRole('alert')).toBeHidden();
    await shot('secretary-resolve-with-photo', { page: false });
    await resolve.getByRole('button', { name: '办结', exact: true }).click();
    await expect(page.locator('.van-toast').filter({ hasText: '已办结' })).toBeVisible();
    await expect(page.getByText('已办结，等待确认')).toBeVisible();
    await expectPhotos(page, '办理后的照片', 1);
    await shot('secretary-resolved-with-photo');
    await signOut(page);

    await signIn(page, 'resident-5');
    await page.getByRole('link', { name: new RegExp(title) }).click();
    await expect(page.getByText('已办结，等待确认')).toBeVisible();
    await expectPhotos(page, '反映时的照片', 1);
    await expectPhotos(page, '补充的照片', 1);
    const after = await expectPhotos(page, '办理后的照片', 1);
    await shot('resident-sees-photos');

    // Full size on a tap, from the photo itself (not its thumbnail).
    await after.getByRole('button', { name: /办理后的照片第 1 张，共 1 张/ }).click();
    const preview = page.locator('.van-image-preview');
    await expect(preview).toBeVisible();
    await expect
      .poll(() =>
        preview
          .locator('img')
          .first()
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBe(480);
    await shot('resident-photo-full-size', { page: false });
    // A tap on the photo closes it, as on a phone.
    await preview.locator('img').first().tap();
    await expect(preview).toBeHidden();
  });

  test('a secretary records a problem solved on the spot with a photo of the work done', async ({
    page,
    shot,
  }) => {
    const title = unique('垃圾桶倒了当场扶起');
    await page.goto('/sign-in');
    const done = await photo(page, 'bins-up.jpg', 'image/jpeg', ['#1e40af', '#15803d'], '已扶正');
    await signIn(page, 'secretary-3');
    await page.getByRole('tab', { name: '代为登记' }).click();
    await page.getByLabel('群众姓名').fill('孙大伯');
    await page.getByLabel('联系电话').fill('13800138777');
    await page.getByLabel('来源渠道').click();
    await page.getByRole('button', { name: '走访' }).click();
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('详细情况').fill('大风把村口两个垃圾桶吹倒了。');
    await page.getByLabel('类别').click();
    await page.getByRole('button', { name: '环境卫生' }).click();
    await page.getByRole('switch', { name: '当场已解决' }).click();
    await page.getByLabel('办理结果').fill('走访时当场扶起并用绳子固定。');
    const after = page.locator('[data-after-photos]');
    await expect(after).toContainText('“环境卫生”类诉求办结时必须上传办理后的照片（至少 1 张）');
    await page.getByRole('button', { name: '提交诉求' }).click();
    await expect(after.getByRole('alert')).toHaveText('请至少上传 1 张办理后的照片');
    await expect(page).toHaveURL(/\/record$/);
    await after.getByLabel('拍照').setInputFiles(done);
    await expect(after.getByText('已上传 1 张，最多 9 张')).toBeVisible();
    await expect(after.getByRole('alert')).toBeHidden();
    await shot('secretary-on-the-spot-with-photo');
    await page.getByRole('button', { name: '提交诉求' }).click();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expect(page.getByText('已办结，等待确认')).toBeVisible();
    // One command, three steps in the timeline.
    await expect(page.locator('ol.timeline > li')).toHaveText([
      /^提交诉求/,
      /^受理/,
      /^办结.*绳子固定/,
    ]);
    await expectPhotos(page, '办理后的照片', 1);
    await shot('secretary-solved-on-the-spot');
  });
});

/** Weekdays from about a month ahead, roughly a month apart: working days in the demo calendar. */
function milestoneDates(count: number): string[] {
  const dates: string[] = [];
  const day = new Date(Date.now() + 30 * 86_400_000);
  for (let i = 0; i < count; i += 1) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    dates.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 27);
  }
  return dates;
}

const STAGES = ['立项', '初步设计评审', '概算审批', '工程预算', '财政审批', '招投标', '竣工'];

test('a seven-stage milestone plan: proposed, approved by a supervisor, the first milestone done, the resident follows it', async ({
  page,
  shot,
}) => {
  const title = unique('断头路打通');
  const dates = milestoneDates(STAGES.length);
  await page.goto('/');
  await signIn(page, 'resident-6');
  const { id } = await apiCall<Created>(page, 'POST', '/requests', {
    title,
    description: '村北的断头路一直没打通，去镇上要绕三公里。',
    category: 'roads',
    location: '咸三村北',
  });
  await signOut(page);

  await signIn(page, 'secretary-3');
  await openRequest(page, id);
  await act(page, '受理');
  const form = await openAction(page, '提出分阶段计划');
  const rows = form.locator('[data-row]');
  for (let i = 1; i < STAGES.length; i += 1) {
    await form.getByRole('button', { name: '添加节点' }).click();
  }
  await expect(rows).toHaveCount(STAGES.length);
  for (const [i, stage] of STAGES.entries()) {
    const row = form.getByRole('group', { name: `第 ${i + 1} 个节点` });
    await row.getByLabel('节点名称').fill(stage);
    // The second date typed before the first, as a slip of the finger would.
    await row.getByLabel('完成日期').fill(i === 1 ? '2020-01-06' : (dates[i] as string));
  }
  await form
    .getByLabel('为什么需要分阶段办理')
    .fill('要走立项、设计、概算、预算、财政、招投标，预计半年以上。');
  await form.getByRole('button', { name: '提出分阶段计划', exact: true }).click();
  const second = form.getByRole('group', { name: '第 2 个节点' });
  await expect(second.locator('.van-field__error-message')).toHaveText('不能早于今天');
  await second.scrollIntoViewIfNeeded();
  await shot('secretary-plan-form-with-error', { page: false });
  await second.getByLabel('完成日期').fill(dates[1] as string);
  await expect(second.locator('.van-field__error-message')).toHaveCount(0);
  await form.getByRole('button', { name: '提出分阶段计划', exact: true }).click();
  await expect(page.locator('.van-toast').filter({ hasText: '已提出分阶段计划' })).toBeVisible();
  const pending = page.locator('[data-plan-pending]');
  await expect(pending).toContainText('计划（7 个节点）已提交，等待督办审批');
  await expect(pending.locator('li')).toHaveCount(7);
  await shot('secretary-plan-proposed');
  await signOut(page);

  await signIn(page, 'town-supervisor');
  await openRequest(page, id);
  await expect(pending).toBeVisible();
  const decide = await openAction(page, '审批计划');
  await decide.getByRole('radio', { name: /不批准$/ }).click();
  await decide.getByRole('button', { name: '审批计划', exact: true }).click();
  await expect(decide.locator('.van-field__error-message')).toHaveText('必填');
  await shot('supervisor-refusal-needs-reason', { page: false });
  await decide.getByRole('radio', { name: /(^|\s)批准$/ }).click();
  await decide.getByRole('button', { name: '审批计划', exact: true }).click();
  await expect(page.locator('.van-toast').filter({ hasText: '已审批计划' })).toBeVisible();
  const steps = page.locator('[data-milestone]');
  await expect(steps).toHaveCount(7);
  await expect(steps.first()).toHaveAttribute('data-mark', 'current');
  await expect(steps.first()).toContainText('进行中');
  await expect(steps.nth(1)).toContainText('未开始');
  await expect(pending).toBeHidden();
  await shot('supervisor-plan-approved');
  await signOut(page);

  await signIn(page, 'secretary-3');
  await openRequest(page, id);
  const done = await openAction(page, '完成节点');
  await expect(done.locator('[data-next-milestone]')).toContainText('1. 立项');
  await done.getByLabel('完成情况').fill('镇里已批准立项，列入今年计划。');
  await shot('secretary-milestone-done-form', { page: false });
  await done.getByRole('button', { name: '完成节点', exact: true }).click();
  await expect(page.locator('.van-toast').filter({ hasText: '已完成节点' })).toBeVisible();
  await expect(steps.first()).toHaveAttribute('data-mark', 'doneOnTime');
  await expect(steps.first()).toContainText('按时完成');
  await expect(steps.nth(1)).toHaveAttribute('data-mark', 'current');
  await expect(page.getByText('已完成 1 / 7 个节点', { exact: false })).toBeVisible();
  await shot('secretary-first-milestone-done');
  await signOut(page);

  await signIn(page, 'resident-6');
  await page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(steps).toHaveCount(7);
  await expect(steps.first()).toContainText('按时完成');
  await expect(
    page.getByRole('listitem').filter({ hasText: '镇里已批准立项，列入今年计划。' }),
  ).toContainText('第 1/7 个节点“立项”已完成');
  await shot('resident-follows-the-plan');
});
