import type { RouteLocationRaw } from 'vue-router';

/** The token at the end of a feedback link (PUBLIC_BASE_URL/f/<token>), as the API signs them. */
const FEEDBACK_LINK = /\/f\/([A-Za-z0-9_-]{54})$/;

/**
 * The app's own page for a feedback link from a notification, whatever address the API was told
 * it has (PUBLIC_BASE_URL may name another host or a path prefix): null for anything else.
 */
export function feedbackRoute(url: string | null | undefined): RouteLocationRaw | null {
  const token = url ? FEEDBACK_LINK.exec(url.split(/[?#]/)[0] ?? '')?.[1] : undefined;
  return token ? { name: 'feedback', params: { token } } : null;
}
