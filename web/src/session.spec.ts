import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, refreshSession, signOut, unwrap } from './api/client';
import {
  accessToken,
  endSession,
  needsRefresh,
  onSessionExpired,
  refreshToken,
  role,
  saveTokens,
  session,
  signedIn,
  startSession,
  type Tokens,
  type User,
} from './session';

const USER: User = {
  id: 'u1',
  username: 'secretary-1',
  displayName: '张书记',
  role: 'secretary',
  unitId: 'b1',
  phone: null,
  active: true,
};
const STORAGE_KEY = 'closed-loop.session';
const PAGE = { items: [], total: 0, page: 1, pageSize: 20 };

const tokens = (n: number, expiresIn = 900): Tokens => ({
  accessToken: `jwt-${n}`,
  expiresIn,
  refreshToken: `refresh-${n}`,
  refreshExpiresIn: 43_200,
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
const invalidToken = () =>
  json(401, { code: 'AUTH.INVALID_TOKEN', detail: 'expired', status: 401 });

function answer(status: number, body: unknown) {
  return vi.fn(async (request: Request) => {
    seen.push(request);
    return json(status, body);
  });
}
let seen: Request[] = [];

/**
 * A fake API with refresh tokens as the real one has them: each works once, and the access token
 * of the latest refresh is the only one the other endpoints take.
 */
function fakeApi(options: { accepts?: string; refresh?: () => Response | Promise<Response> } = {}) {
  let current = options.accepts ?? 'jwt-1';
  let generation = 1;
  const refreshes: string[] = [];
  const calls: { path: string; authorization: string | null; body: string }[] = [];
  const fetch = vi.fn(async (request: Request) => {
    const path = new URL(request.url).pathname;
    const body = await request.text();
    if (path === '/api/v1/auth/refresh') {
      refreshes.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
      if (options.refresh) return options.refresh();
      generation += 1;
      current = `jwt-${generation}`;
      return json(200, { ...tokens(generation), tokenType: 'Bearer' });
    }
    const authorization = request.headers.get('authorization');
    calls.push({ path, authorization, body });
    if (authorization !== `Bearer ${current}`) return invalidToken();
    return json(200, path.endsWith('/events') ? { id: 'r1', version: 4 } : PAGE);
  });
  return { fetch, refreshes, calls };
}

describe('the session and the API client', () => {
  beforeEach(() => {
    seen = [];
    endSession();
    vi.useRealTimers();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('keeps both tokens and the user, in localStorage too, and is signed in while either lasts', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T08:00:00Z') });
    startSession(tokens(1, 900), USER);
    expect(accessToken()).toBe('jwt-1');
    expect(refreshToken()).toBe('refresh-1');
    expect(signedIn.value).toBe(true);
    expect(role.value).toBe('secretary');
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')).toMatchObject({
      accessToken: 'jwt-1',
      refreshToken: 'refresh-1',
      user: { username: 'secretary-1' },
    });
    expect(needsRefresh()).toBe(false);
    // The last tenth of the access token's life (at most 30 s): time to refresh before a call.
    vi.setSystemTime(Date.parse('2026-12-01T08:14:31Z'));
    expect(accessToken()).toBe('jwt-1');
    expect(needsRefresh()).toBe(true);
    vi.setSystemTime(Date.parse('2026-12-01T08:15:00Z'));
    expect(accessToken()).toBeNull();
    saveTokens(tokens(2, 60));
    expect(accessToken()).toBe('jwt-2');
    expect(refreshToken()).toBe('refresh-2');
    expect(session.user?.username).toBe('secretary-1');
    // Past the refresh token's life (12 h) nothing is left to use.
    vi.setSystemTime(Date.parse('2026-12-01T20:15:01Z'));
    expect(accessToken()).toBeNull();
    expect(refreshToken()).toBeNull();
    expect(needsRefresh()).toBe(false);
  });

  it('sends the bearer token and the app’s language on every call', async () => {
    startSession(tokens(1), USER);
    await expect(
      unwrap(api.GET('/api/v1/requests', { fetch: answer(200, PAGE) })),
    ).resolves.toEqual(PAGE);
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer jwt-1');
    expect(seen[0]?.headers.get('accept-language')).toMatch(/^(zh-CN|en)$/);
  });

  it('a 401 refreshes the session once and sends the call again, body and all, with the new token', async () => {
    startSession(tokens(1), USER);
    // The API no longer takes jwt-1 (it was revoked, or the clocks disagree).
    const server = fakeApi({ accepts: 'none' });
    const updated = await unwrap(
      api.POST('/api/v1/requests/{id}/events', {
        params: { path: { id: 'r1' }, header: { 'If-Match': '"3"' } },
        body: { type: 'COMMENT', text: '补充：晚上八点以后最黑' },
        fetch: server.fetch,
      }),
    );
    expect(updated).toEqual({ id: 'r1', version: 4 });
    expect(server.refreshes).toEqual(['refresh-1']);
    expect(server.calls.map((c) => c.authorization)).toEqual(['Bearer jwt-1', 'Bearer jwt-2']);
    expect(server.calls[1]?.body).toBe(server.calls[0]?.body);
    expect(JSON.parse(server.calls[1]?.body ?? '{}')).toEqual({
      type: 'COMMENT',
      text: '补充：晚上八点以后最黑',
    });
    expect(accessToken()).toBe('jwt-2');
    expect(refreshToken()).toBe('refresh-2');
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')).toMatchObject({
      accessToken: 'jwt-2',
      refreshToken: 'refresh-2',
    });
  });

  it('calls refused at the same moment share one refresh, and each is sent again once', async () => {
    startSession(tokens(1), USER);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = fakeApi({
      refresh: async () => {
        await gate;
        return json(200, { ...tokens(7), tokenType: 'Bearer' });
      },
    });
    // Every call with jwt-1 is refused; only jwt-7 passes.
    const refusing = vi.fn(async (request: Request) => {
      if (new URL(request.url).pathname === '/api/v1/auth/refresh') return server.fetch(request);
      seen.push(request);
      return request.headers.get('authorization') === 'Bearer jwt-7'
        ? json(200, PAGE)
        : invalidToken();
    });
    const calls = [1, 2, 3].map((page) =>
      unwrap(api.GET('/api/v1/requests', { params: { query: { page } }, fetch: refusing })),
    );
    await vi.waitFor(() => expect(server.refreshes).toHaveLength(1));
    release();
    await expect(Promise.all(calls)).resolves.toEqual([PAGE, PAGE, PAGE]);
    expect(server.refreshes).toEqual(['refresh-1']);
    expect(seen.map((r) => r.headers.get('authorization')).sort()).toEqual([
      'Bearer jwt-1',
      'Bearer jwt-1',
      'Bearer jwt-1',
      'Bearer jwt-7',
      'Bearer jwt-7',
      'Bearer jwt-7',
    ]);
  });

  it('an access token about to run out is refreshed before the call, so the call is not refused', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T08:00:00Z'), toFake: ['Date'] });
    startSession(tokens(1, 900), USER);
    vi.setSystemTime(Date.parse('2026-12-01T08:20:00Z'));
    expect(signedIn.value).toBe(true);
    const server = fakeApi();
    // The fake API's current token is the one its next refresh hands out.
    await expect(unwrap(api.GET('/api/v1/requests', { fetch: server.fetch }))).resolves.toEqual(
      PAGE,
    );
    expect(server.refreshes).toEqual(['refresh-1']);
    expect(server.calls.map((c) => c.authorization)).toEqual(['Bearer jwt-2']);
  });

  it('a refused refresh ends the session, tells the listeners, and the call fails with its 401', async () => {
    const expired = vi.fn();
    onSessionExpired(expired);
    startSession(tokens(1), USER);
    const server = fakeApi({ accepts: 'none', refresh: invalidToken });
    const refused = unwrap(api.GET('/api/v1/requests', { fetch: server.fetch }));
    await expect(refused).rejects.toEqual(new ApiError(401, 'AUTH.INVALID_TOKEN', 'expired'));
    expect(server.refreshes).toEqual(['refresh-1']);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(signedIn.value).toBe(false);
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('a call refused again after a good refresh is not retried a second time, and ends the session', async () => {
    const expired = vi.fn();
    onSessionExpired(expired);
    startSession(tokens(1), USER);
    const refreshes: string[] = [];
    let refused = 0;
    const fetch = vi.fn(async (request: Request) => {
      if (new URL(request.url).pathname === '/api/v1/auth/refresh') {
        refreshes.push(await request.text());
        return json(200, { ...tokens(2), tokenType: 'Bearer' });
      }
      refused += 1;
      return invalidToken();
    });
    await expect(unwrap(api.GET('/api/v1/requests', { fetch }))).rejects.toMatchObject({
      status: 401,
    });
    expect(refreshes).toHaveLength(1);
    expect(refused).toBe(2);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(signedIn.value).toBe(false);
  });

  it('a refresh the API could not answer keeps the session and reports no connection', async () => {
    startSession(tokens(1), USER);
    const fetch = vi.fn(async (request: Request) => {
      if (new URL(request.url).pathname === '/api/v1/auth/refresh') {
        throw new TypeError('Failed to fetch');
      }
      return invalidToken();
    });
    await expect(unwrap(api.GET('/api/v1/requests', { fetch }))).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK',
    });
    expect(signedIn.value).toBe(true);
    expect(refreshToken()).toBe('refresh-1');
  });

  it('takes the tokens another tab refreshed instead of presenting a spent refresh token', async () => {
    startSession(tokens(1), USER);
    const otherTab = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<
      string,
      unknown
    >;
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({
        ...otherTab,
        accessToken: 'jwt-5',
        refreshToken: 'refresh-5',
        expiresAt: Date.now() + 900_000,
      }),
    );
    const server = fakeApi();
    await expect(refreshSession(server.fetch)).resolves.toBe(true);
    expect(server.refreshes).toEqual([]);
    expect(accessToken()).toBe('jwt-5');
    expect(refreshToken()).toBe('refresh-5');
  });

  it('signing out ends the session at the API too, and here even when the API cannot be reached', async () => {
    startSession(tokens(1), USER);
    const fetch = vi.fn(async (request: Request) => {
      seen.push(request);
      return new Response(null, { status: 204 });
    });
    vi.stubGlobal('fetch', fetch);
    await signOut();
    expect(new URL(seen[0]?.url ?? '').pathname).toBe('/api/v1/auth/logout');
    expect(seen[0]?.headers.get('authorization')).toBeNull();
    expect(await seen[0]?.json()).toEqual({ refreshToken: 'refresh-1' });
    expect(signedIn.value).toBe(false);
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();

    startSession(tokens(2), USER);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(signOut()).resolves.toBeUndefined();
    expect(signedIn.value).toBe(false);
  });

  it('a wrong password (401 on sign-in) is an error to show, not an expired session', async () => {
    const expired = vi.fn();
    onSessionExpired(expired);
    const call = unwrap(
      api.POST('/api/v1/auth/login', {
        body: { username: 'x', password: 'y' },
        fetch: answer(401, { code: 'AUTH.INVALID_CREDENTIALS', detail: 'wrong', status: 401 }),
      }),
    );
    await expect(call).rejects.toMatchObject({ status: 401, code: 'AUTH.INVALID_CREDENTIALS' });
    expect(expired).not.toHaveBeenCalled();
    expect(seen).toHaveLength(1);
  });

  it('no answer at all is a NETWORK error', async () => {
    const call = unwrap(
      api.GET('/api/v1/categories', {
        fetch: vi.fn(async () => {
          throw new TypeError('Failed to fetch');
        }),
      }),
    );
    await expect(call).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
  });
});
