import { apiCall, expect, openAction, signIn, signOut, test, unique } from './fixtures';

interface Request {
  id: string;
  reference: string;
}

test('a secretary sees a duplicate, merges it into the original, and its resident is told they are handled together', async ({
  page,
  shot,
  expectHttpError,
}) => {
  test.setTimeout(120_000);
  const place = unique('');
  const file = async (resident: string, title: string) => {
    await page.goto('/');
    await signIn(page, resident);
    const made = await apiCall<Request>(page, 'POST', '/requests', {
      title,
      description: '天黑以后门口一片漆黑，孩子放学不安全。',
      category: 'other',
      location: '咸一村小学南门',
    });
    await signOut(page);
    return made;
  };
  const original = await file('resident-1', `咸一村小学门口路灯不亮${place}`);
  const duplicate = await file('resident-2', `咸一村小学门口的路灯不亮${place}`);

  await signIn(page, 'secretary-1');
  await page.goto(`/requests/${duplicate.id}`);
  const possible = page.getByRole('region', { name: '可能重复的诉求' });
  await expect(possible.locator(`[data-reference="${original.reference}"]`)).toContainText(
    '标题相近',
  );
  await shot('secretary-possible-duplicates');

  // A number typed wrong is said under the field; the request stays as it was.
  expectHttpError(404, /\/events$/);
  const form = await openAction(page, '合并为重复诉求');
  await form.getByLabel('填写原诉求编号').fill('XC-2099-999999');
  await form.getByRole('button', { name: '合并为重复诉求', exact: true }).click();
  await expect(form.getByText('没有找到这个编号的诉求')).toBeVisible();

  await form.getByRole('radio', { name: new RegExp(original.reference) }).click();
  await expect(form.getByLabel('填写原诉求编号')).toHaveValue('');
  await form.getByLabel('备注').fill('同一盏路灯，两位群众先后反映。');
  await shot('secretary-merge-form', { page: false });
  await form.getByRole('button', { name: '合并为重复诉求', exact: true }).click();
  await expect(page.locator('.van-toast').filter({ hasText: '已合并为重复诉求' })).toBeVisible();

  const into = page.locator('[data-merged-into]');
  await expect(into).toContainText('已作为重复诉求并入');
  await expect(page.locator('.summary[data-state="closed"]')).toBeVisible();
  await expect(possible).toBeHidden();
  await shot('secretary-merged-duplicate');

  await into.getByRole('link', { name: original.reference }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${original.id}$`));
  await expect(
    page
      .getByRole('region', { name: '已并入本诉求的重复诉求' })
      .getByRole('link', { name: duplicate.reference }),
  ).toBeVisible();
  await shot('secretary-original-with-duplicates');
  await signOut(page);

  await signIn(page, 'resident-2');
  await page.goto(`/requests/${duplicate.id}`);
  await expect(page.locator('[data-merged-into]')).toContainText(
    `与诉求 ${original.reference} 是同一个问题`,
  );
  await expect(page.locator('[data-merged-into] a')).toHaveCount(0);
  await expect(page.getByRole('region', { name: '可能重复的诉求' })).toHaveCount(0);
  await shot('resident-merged-duplicate');
});
