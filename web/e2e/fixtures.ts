import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type APIRequestContext,
  test as base,
  expect,
  type Locator,
  type Page,
} from '@playwright/test';

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
  browserErrors: BrowserErrors;
  /**
   * Declares an HTTP error answer the test provokes on purpose (a used feedback link, a revoked
   * token): Chromium logs it as a console error, which then does not fail the test. The test
   * fails instead if no such answer comes.
   */
  expectHttpError: (status: number, path: RegExp) => void;
}

interface BrowserErrors {
  errors: string[];
  expected: { status: number; path: RegExp; seen: number }[];
}

const HTTP_ERROR = /^Failed to load resource: the server responded with a status of (\d{3})\b/;

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
      const seen: BrowserErrors = { errors: [], expected: [] };
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const status = Number(HTTP_ERROR.exec(message.text())?.[1]);
        const path = new URL(message.location().url || 'about:blank').pathname;
        const expected = seen.expected.find((e) => e.status === status && e.path.test(path));
        if (expected) expected.seen += 1;
        else seen.errors.push(`console: ${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => seen.errors.push(`page error: ${error.message}`));
      await use(seen);
      expect(seen.errors, 'the browser reported errors').toEqual([]);
      expect(
        seen.expected.filter((e) => e.seen === 0).map((e) => `${e.status} ${e.path}`),
        'HTTP errors the test expected and did not get',
      ).toEqual([]);
    },
    { auto: true },
  ],
  expectHttpError: async ({ browserErrors }, use) => {
    await use((status, path) => browserErrors.expected.push({ status, path, seen: 0 }));
  },
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

/** The signed-in session the app keeps in localStorage (tokens, expiry, user). */
export function storedSession(
  page: Page,
): Promise<Record<string, unknown> & { accessToken: string; refreshToken: string }> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('closed-loop.session') ?? 'null'));
}

/** Changes the stored session (an access token that ran out, one the API refuses) before a reload. */
export async function patchStoredSession(page: Page, changes: Record<string, unknown>) {
  await page.evaluate((c) => {
    const s = JSON.parse(localStorage.getItem('closed-loop.session') ?? '{}');
    localStorage.setItem('closed-loop.session', JSON.stringify({ ...s, ...c }));
  }, changes);
}

/** A user's bearer token, for what a test prepares through the API without the app. */
export async function tokenOf(request: APIRequestContext, username: string): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { username, password: PASSWORD } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Calls the API with a bearer token from tokenOf. */
export async function callApi<T>(
  request: APIRequestContext,
  token: string,
  method: 'get' | 'post' | 'put' | 'patch',
  path: string,
  data?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await request[method](`/api/v1${path}`, {
    data,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/**
 * Calls the API as the signed-in user, for a step a test does not look at (setting up a request);
 * the screens the test is about are always driven through the app.
 */
export async function apiCall<T>(
  page: Page,
  method: 'GET' | 'POST',
  path: string,
  data?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<T> {
  const { accessToken } = await storedSession(page);
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    data,
    headers: { authorization: `Bearer ${accessToken}`, ...headers },
  });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** A resident files a request through the app and lands on its page. */
export async function submitRequest(
  page: Page,
  request: { title: string; description: string; category: string; location?: string },
  shot?: (screen: string) => Promise<void>,
) {
  await page.getByRole('tab', { name: '我要反映' }).click();
  await page.getByLabel('标题').fill(request.title);
  await page.getByLabel('详细情况').fill(request.description);
  await page.getByLabel('类别').click();
  await page.getByRole('button', { name: request.category }).click();
  if (request.location) await page.getByLabel('地点').fill(request.location);
  await shot?.('resident-new-request');
  await page.getByRole('button', { name: '提交诉求' }).click();
  await expect(page.getByRole('heading', { name: request.title })).toBeVisible();
  await shot?.('resident-request-submitted');
}

/** Opens an action's form on a request's page by its button; the form, to fill in. */
export async function openAction(page: Page, action: string): Promise<Locator> {
  await page
    .getByRole('region', { name: '可以做的事' })
    .getByRole('button', { name: action, exact: true })
    .click();
  return page.locator('form[data-form]');
}

/**
 * Presses an action's button on a request's page, fills its form (labels → values; a radio by
 * its name with `radio:`), and sends it; an action without fields is confirmed in a dialog.
 */
export async function act(
  page: Page,
  action: string,
  fields: Record<string, string> = {},
  options: { shot?: () => Promise<void> } = {},
) {
  const form = await openAction(page, action);
  if (Object.keys(fields).length === 0) {
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  } else {
    for (const [label, value] of Object.entries(fields)) {
      // A radio's name starts with the glyph of its icon: match the words at its end.
      if (label.startsWith('radio:'))
        await form.getByRole('radio', { name: new RegExp(`(^|\\s)${value}$`) }).click();
      else await form.getByLabel(label).fill(value);
    }
    await options.shot?.();
    await form.getByRole('button', { name: action, exact: true }).click();
  }
  await expect(page.locator('.van-toast').filter({ hasText: `已${action}` })).toBeVisible();
}

/**
 * A small photo made in the browser (a canvas drawn and encoded as PNG or JPEG), as a phone's
 * camera would hand one over: real image bytes the API decodes, strips and thumbnails.
 */
export async function photo(
  page: Page,
  name: string,
  type: 'image/png' | 'image/jpeg',
  colours: [string, string],
  words: string,
): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const base64 = await page.evaluate(
    async ({ type, colours, words }) => {
      const canvas = new OffscreenCanvas(480, 360);
      const g = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
      const fill = g.createLinearGradient(0, 0, 480, 360);
      fill.addColorStop(0, colours[0]);
      fill.addColorStop(1, colours[1]);
      g.fillStyle = fill;
      g.fillRect(0, 0, 480, 360);
      g.fillStyle = '#ffffff';
      g.font = 'bold 64px "Noto Sans CJK SC", sans-serif';
      g.textAlign = 'center';
      g.fillText(words, 240, 200);
      const blob = await canvas.convertToBlob({ type, quality: 0.85 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return btoa(binary);
    },
    { type, colours, words },
  );
  return { name, mimeType: type, buffer: Buffer.from(base64, 'base64') };
}
