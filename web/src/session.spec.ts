import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, unwrap } from './api/client';
import {
  accessToken,
  endSession,
  onSessionExpired,
  role,
  saveTokens,
  session,
  signedIn,
  startSession,
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

function answer(status: number, body: unknown) {
  return vi.fn(async (request: Request) => {
    seen.push(request);
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
}
let seen: Request[] = [];

describe('the session and the API client', () => {
  beforeEach(() => {
    seen = [];
    endSession();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the token and the user, in localStorage too, until it runs out', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T08:00:00Z') });
    startSession({ accessToken: 'jwt-1', expiresIn: 3600 }, USER);
    expect(accessToken()).toBe('jwt-1');
    expect(signedIn.value).toBe(true);
    expect(role.value).toBe('secretary');
    expect(JSON.parse(localStorage.getItem('closed-loop.session') ?? '{}')).toMatchObject({
      accessToken: 'jwt-1',
      user: { username: 'secretary-1' },
    });
    saveTokens({ accessToken: 'jwt-2', expiresIn: 60 });
    expect(accessToken()).toBe('jwt-2');
    expect(session.user?.username).toBe('secretary-1');
    vi.setSystemTime(Date.parse('2026-12-01T08:01:00Z'));
    expect(accessToken()).toBeNull();
    vi.useRealTimers();
  });

  it('sends the bearer token and the app’s language on every call', async () => {
    startSession({ accessToken: 'jwt-1', expiresIn: 3600 }, USER);
    const page = { items: [], total: 0, page: 1, pageSize: 20 };
    await expect(
      unwrap(api.GET('/api/v1/requests', { fetch: answer(200, page) })),
    ).resolves.toEqual(page);
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer jwt-1');
    expect(seen[0]?.headers.get('accept-language')).toMatch(/^(zh-CN|en)$/);
  });

  it('a 401 on an authenticated call ends the session and tells the listeners', async () => {
    const expired = vi.fn();
    onSessionExpired(expired);
    startSession({ accessToken: 'stale', expiresIn: 3600 }, USER);
    const call = unwrap(
      api.GET('/api/v1/requests', {
        fetch: answer(401, { code: 'AUTH.INVALID_TOKEN', detail: 'expired', status: 401 }),
      }),
    );
    await expect(call).rejects.toEqual(new ApiError(401, 'AUTH.INVALID_TOKEN', 'expired'));
    expect(expired).toHaveBeenCalledTimes(1);
    expect(signedIn.value).toBe(false);
    expect(localStorage.getItem('closed-loop.session')).toBeNull();
  });

  it('a wrong password (401 without a token) is an error to show, not an expired session', async () => {
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
