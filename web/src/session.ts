import { computed, reactive, readonly } from 'vue';
import type { components } from './api/schema';

export type User = components['schemas']['UserDto'];
export type Role = User['role'];

/**
 * What the API hands out at sign-in and at every refresh (POST /auth/refresh): a short-lived
 * access token (15 minutes) and a single-use refresh token that keeps the session for a working
 * day (12 hours).
 */
export type Tokens = Pick<
  components['schemas']['SessionDto'],
  'accessToken' | 'expiresIn' | 'refreshToken' | 'refreshExpiresIn'
>;

interface SessionState {
  accessToken: string | null;
  /** When the access token was received and when it runs out (ms since the epoch, this clock). */
  issuedAt: number | null;
  expiresAt: number | null;
  refreshToken: string | null;
  refreshExpiresAt: number | null;
  user: User | null;
}

const STORAGE_KEY = 'closed-loop.session';
const EMPTY: SessionState = {
  accessToken: null,
  issuedAt: null,
  expiresAt: null,
  refreshToken: null,
  refreshExpiresAt: null,
  user: null,
};

function stored(): SessionState {
  try {
    const saved = JSON.parse(
      localStorage.getItem(STORAGE_KEY) ?? 'null',
    ) as Partial<SessionState> | null;
    return saved?.user && (saved.accessToken || saved.refreshToken)
      ? { ...EMPTY, ...saved }
      : { ...EMPTY };
  } catch {
    return { ...EMPTY };
  }
}

const state = reactive<SessionState>(stored());
const expiredListeners = new Set<() => void>();

function persist(): void {
  if (state.user) localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  else localStorage.removeItem(STORAGE_KEY);
}

const usable = (token: string | null, until: number | null, marginMs = 0): string | null =>
  token && (until === null || Date.now() < until - marginMs) ? token : null;

/** Read-only view of who is signed in; change it only through the functions below. */
export const session = readonly(state);
/** Signed in while either token can still be used: a refresh brings back a new access token. */
export const signedIn = computed(
  () =>
    state.user !== null &&
    (usable(state.accessToken, state.expiresAt) ??
      usable(state.refreshToken, state.refreshExpiresAt)) !== null,
);
export const role = computed<Role | null>(() =>
  signedIn.value ? (state.user?.role ?? null) : null,
);

/** The bearer token, or null when there is none or it has run out. */
export function accessToken(): string | null {
  return usable(state.accessToken, state.expiresAt);
}

/**
 * True when the access token is gone or about to go (the last tenth of its life, at most 30 s)
 * and a refresh token could replace it: better to refresh before a call than after its 401.
 */
export function needsRefresh(): boolean {
  if (!refreshToken()) return false;
  const lifetime = (state.expiresAt ?? 0) - (state.issuedAt ?? state.expiresAt ?? 0);
  const margin = Math.min(30_000, Math.max(0, lifetime / 10));
  return usable(state.accessToken, state.expiresAt, margin) === null;
}

/** The refresh token, or null when there is none or it has run out. */
export function refreshToken(): string | null {
  return usable(state.refreshToken, state.refreshExpiresAt);
}

/** Keeps a new set of tokens, from a sign-in or a refresh. */
export function saveTokens(tokens: Tokens): void {
  const now = Date.now();
  state.accessToken = tokens.accessToken;
  state.issuedAt = now;
  state.expiresAt = now + tokens.expiresIn * 1000;
  state.refreshToken = tokens.refreshToken;
  state.refreshExpiresAt = now + tokens.refreshExpiresIn * 1000;
  persist();
}

/**
 * Another tab of the app may have used the refresh token up and stored its successor: take that
 * one instead of presenting a spent token, which the API treats as theft and ends the session.
 * True when the stored session differs from this tab's.
 */
export function adoptStoredTokens(): boolean {
  const saved = stored();
  if (!saved.refreshToken || saved.refreshToken === state.refreshToken) return false;
  if (saved.user?.id !== state.user?.id) return false;
  Object.assign(state, saved);
  return true;
}

export function startSession(tokens: Tokens, user: User): void {
  state.user = user;
  saveTokens(tokens);
}

export function endSession(): void {
  Object.assign(state, EMPTY);
  persist();
}

/** The session cannot go on (its refresh failed): listeners send the user to sign in. */
export function expireSession(): void {
  endSession();
  for (const listener of expiredListeners) listener();
}

export function onSessionExpired(listener: () => void): void {
  expiredListeners.add(listener);
}
