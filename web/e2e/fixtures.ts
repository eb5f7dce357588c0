import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

export { expect };

const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

/**
 * A strict Content-Security-Policy on every page the tests load: no inline script or style, no
 * eval, images from self, data: and blob:. A violation is a console error, so it fails the test.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');
export const PASSWORD = 'demo1234';

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

interface Fixtures {
  /**
   * Saves a screenshot of the screen as it is: screenshots/<test>/<n>-<screen>.png; the whole
   * page, or only the phone's screen when a sheet or dialog sits on it (`{ page: false }`).
   */
  shot: (screen: string, options?: { page?: boolean }) => Promise<void>;
  /** Every console error and uncaught exception of the page; the test fails if there is one. */
  browserErrors: string[];
}

export const test = base.extend<Fixtures>({
  browserErrors: [
    async ({ page }, use) => {
      await page.route(
        (url) => !/^\/(api|assets|health|docs)\b/.test(url.pathname),
        async (route) => {
          if (route.request().resourceType() !== 'document') return route.continue();
          const response = await route.fetch();
          await route.fulfill({
            response,
            headers: { ...response.headers(), 'content-security-policy': CSP },
          });
        },
      );
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      await use(errors);
      expect(errors, 'the browser reported errors').toEqual([]);
    },
    { auto: true },
  ],
  shot: async ({ page }, use, testInfo) => {
    const dir = join(SCREENSHOTS, slug(testInfo.title));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    let n = 0;
    await use(async (screen, options) => {
      n += 1;
      // Lists load and toasts fade: let the screen settle before taking it.
      await page.waitForLoadState('networkidle');
      await expect(page.locator('.van-toast')).toBeHidden({ timeout: 5_000 });
      expect(await unlabelledControls(page), `unlabelled controls on ${screen}`).toEqual([]);
      await page.screenshot({
        path: join(dir, `${String(n).padStart(2, '0')}-${screen}.png`),
        fullPage: options?.page ?? true,
        animations: 'disabled',
      });
    });
  },
});

/**
 * The visible controls a screen reader could not name: every input is labelled, every button
 * and switch says what it does. Rating stars are named by their place in a labelled group.
 */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = (el: Element | null) => (el?.textContent ?? '').trim();
    const named = (el: HTMLElement) => {
      if (el.getAttribute('aria-label')?.trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\s+/).some((id) => text(document.getElementById(id)))) return true;
      if ('labels' in el && [...((el as HTMLInputElement).labels ?? [])].some((l) => text(l)))
        return true;
      const inputLike = el.matches('input, textarea, select, [role="switch"], [role="slider"]');
      return !inputLike && text(el) !== '';
    };
    const controls = document.querySelectorAll<HTMLElement>(
      'input:not([type="hidden"]), textarea, select, button, [role="button"], [role="radio"], [role="radiogroup"], [role="switch"], [role="tab"], a[href]',
    );
    return [...controls]
      .filter(
        (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden',
      )
      .filter(
        (el) =>
          !(
            el.matches('[role="radio"][aria-posinset]') &&
            named(el.closest('[role="radiogroup"]') as HTMLElement)
          ),
      )
      .filter((el) => !named(el))
      .map((el) => el.outerHTML.slice(0, 160));
  });
}

export async function signIn(
  page: Page,
  username: string,
  labels = { user: '用户名', password: '密码', submit: '登录' },
) {
  await page.getByLabel(labels.user).fill(username);
  await page.getByLabel(labels.password).fill(PASSWORD);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

export async function signOut(page: Page) {
  await page.goto('/me');
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

/** A title no other run or test has used, so each test finds only what it created. */
export const unique = (title: string) => `${title} ${Date.now().toString(36)}`;
