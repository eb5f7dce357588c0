import createClient, { type Middleware } from 'openapi-fetch';
import { acceptLanguage } from '../i18n';
import {
  accessToken,
  adoptStoredTokens,
  endSession,
  expireSession,
  needsRefresh,
  refreshToken,
  saveTokens,
} from '../session';
import type { components, paths } from './schema';

export type RequestDto = components['schemas']['RequestDto'];
export type RequestPage = components['schemas']['RequestPageDto'];
export type TimelineEntry = components['schemas']['TimelineEntryDto'];
export type Clock = components['schemas']['ClockDto'];
export type Category = components['schemas']['CategoryDto'];
export type Unit = components['schemas']['UnitDto'];
export type UnitMember = components['schemas']['UnitMemberDto'];
export type FeedbackView = components['schemas']['FeedbackViewDto'];
export type Notification = components['schemas']['NotificationDto'];
export type RequestState = RequestDto['state'];
export type EventType = RequestDto['allowedEvents'][number];
export type CreateRequestBody = components['schemas']['CreateRequestDto'];
export type Attachment = components['schemas']['AttachmentDto'];
export type Plan = components['schemas']['PlanDto'];
export type PlanProposal = components['schemas']['PlanProposalDto'];
export type PossibleDuplicate = components['schemas']['PossibleDuplicateDto'];
/** One event's body: the API's oneOf of every event a user may send. */
export type EventBody = NonNullable<
  paths['/api/v1/requests/{id}/events']['post']['requestBody']
>['content']['application/json'];
type Problem = components['schemas']['Problem'];
/** One field the API named as wrong (`milestones[2].due`) and why, in the API's words. */
export type FieldProblem = NonNullable<Problem['errors']>[number];

/** A problem+json answer (or no answer at all: status 0, code NETWORK) as something to throw. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(detail);
  }
}

/** How a call reaches the API: the browser's fetch, or a test's. */
type Fetch = (request: Request) => Promise<Response>;

/**
 * Sign-in, refresh, sign-out and the feedback link need no account: they carry no bearer token,
 * so they never start a refresh and are never retried.
 */
const PUBLIC_PATHS = /^\/api\/v1\/(auth\/(login|refresh|logout)|feedback\/\{token\})$/;

/** A copy of each authenticated call, to send once more after a refresh; dropped with its answer. */
const copies = new Map<string, Request>();
let refreshing: Promise<boolean> | null = null;

/**
 * Trades the refresh token for a new pair. One at a time: every call that finds the token stale
 * waits for the same refresh (the refresh token works once; a second use would end the session).
 * False when the session is over (the API refused the refresh token); throws when the API could
 * not be asked, which leaves the session as it is.
 */
export function refreshSession(fetch: Fetch = globalThis.fetch): Promise<boolean> {
  refreshing ??= renew(fetch).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function renew(fetch: Fetch): Promise<boolean> {
  if (adoptStoredTokens() && !needsRefresh()) return true;
  const token = refreshToken();
  if (!token) {
    expireSession();
    return false;
  }
  const { data, response } = await api.POST('/api/v1/auth/refresh', {
    body: { refreshToken: token },
    fetch,
  });
  if (response.ok && data) {
    // Signed out while the refresh was under way: stay signed out.
    if (refreshToken() === token) saveTokens(data);
    return refreshToken() !== null;
  }
  if (response.status === 400 || response.status === 401) {
    // Another tab may have used the token up a moment ago and kept its successor.
    if (adoptStoredTokens()) return true;
    expireSession();
    return false;
  }
  throw new TypeError(`the refresh answered ${response.status}`);
}

/**
 * Every call carries the bearer token and the app's language. A token about to run out is
 * refreshed first; a call refused with 401 is sent once more after a refresh, and only when the
 * refresh is refused too does the session end (the router then shows sign-in).
 */
const authentication: Middleware = {
  async onRequest({ request, schemaPath, options, id }) {
    request.headers.set('Accept-Language', acceptLanguage());
    if (PUBLIC_PATHS.test(schemaPath)) return request;
    if (needsRefresh()) await refreshSession(options.fetch);
    const token = accessToken();
    if (token) {
      request.headers.set('Authorization', `Bearer ${token}`);
      copies.set(id, request.clone());
    }
    return request;
  },
  async onResponse({ request, response, options, id }) {
    const copy = copies.get(id);
    copies.delete(id);
    if (response.status !== 401 || !copy) return response;
    // A call sent with a token another call has replaced since needs no refresh of its own.
    const replaced =
      accessToken() !== null && request.headers.get('Authorization') !== `Bearer ${accessToken()}`;
    if (!replaced && !(await refreshSession(options.fetch))) return response;
    const token = accessToken();
    if (!token) return response;
    // Read the refusal to its end: a body left unread keeps the browser's request open.
    await response.arrayBuffer();
    copy.headers.set('Authorization', `Bearer ${token}`);
    const send = options.fetch;
    const again = await send(copy);
    // A fresh token refused too: the account was disabled or the session revoked.
    if (again.status === 401) expireSession();
    return again;
  },
  onError({ id }) {
    copies.delete(id);
  },
};

/** Ends the session here and at the API (its refresh token stops working), reachable or not. */
export async function signOut(fetch: Fetch = globalThis.fetch): Promise<void> {
  const token = refreshToken();
  endSession();
  if (!token) return;
  try {
    await api.POST('/api/v1/auth/logout', { body: { refreshToken: token }, fetch });
  } catch {
    // Offline: the refresh token still runs out by itself (REFRESH_TOKEN_TTL).
  }
}

/**
 * `no-store`: what the API answers depends on who asks (allowedEvents, masked phones) while its
 * ETag is only the request's version, so a browser's cached copy of another account's answer
 * could come back as a 304.
 */
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  cache: 'no-store',
});
api.use(authentication);

/** The data of a call, or an ApiError with the problem's code. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'NETWORK', 'The API could not be reached');
  }
  if (result.response.ok) return result.data as T;
  const problem = (result.error ?? {}) as Partial<Problem>;
  throw new ApiError(
    result.response.status,
    problem.code ?? `HTTP.${result.response.status}`,
    problem.detail ?? result.response.statusText,
    problem.errors ?? [],
  );
}

/** Retrying a submission on a bad connection must not file it twice (Idempotency-Key). */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
