import createClient, { type Middleware } from 'openapi-fetch';
import { acceptLanguage } from '../i18n';
import { accessToken, expireSession } from '../session';
import type { components, paths } from './schema';

export type RequestDto = components['schemas']['RequestDto'];
export type RequestPage = components['schemas']['RequestPageDto'];
export type TimelineEntry = components['schemas']['TimelineEntryDto'];
export type Clock = components['schemas']['ClockDto'];
export type Category = components['schemas']['CategoryDto'];
export type Unit = components['schemas']['UnitDto'];
export type Notification = components['schemas']['NotificationDto'];
export type RequestState = RequestDto['state'];
export type EventType = RequestDto['allowedEvents'][number];
export type CreateRequestBody = components['schemas']['CreateRequestDto'];
/** One event's body: the API's oneOf of every event a user may send. */
export type EventBody = NonNullable<
  paths['/api/v1/requests/{id}/events']['post']['requestBody']
>['content']['application/json'];
type Problem = components['schemas']['Problem'];

/** A problem+json answer (or no answer at all: status 0, code NETWORK) as something to throw. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * Every call carries the bearer token and the app's language. The API has no refresh tokens
 * yet, so a 401 on an authenticated call ends the session (the router then shows sign-in).
 */
const authentication: Middleware = {
  onRequest({ request }) {
    const token = accessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    request.headers.set('Accept-Language', acceptLanguage());
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) expireSession();
    return response;
  },
};

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
  );
}

/** Retrying a submission on a bad connection must not file it twice (Idempotency-Key). */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
