import { computed, reactive, readonly } from 'vue';
import type { components } from './api/schema';

export type User = components['schemas']['UserDto'];
export type Role = User['role'];

/** What the API hands out at sign-in; a refresh returns a new set (see `saveTokens`). */
export interface Tokens {
  accessToken: string;
  /** Seconds the access token lives, as the API says. */
  expiresIn: number;
}

interface SessionState {
  accessToken: string | null;
  expiresAt: number | null;
  user: User | null;
}

const STORAGE_KEY = 'closed-loop.session';
const EMPTY: SessionState = { accessToken: null, expiresAt: null, user: null };

function load(): SessionState {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as SessionState | null;
    return saved?.accessToken && saved.user ? saved : { ...EMPTY };
  } catch {
    return { ...EMPTY };
  }
}

const state = reactive<SessionState>(load());
const expiredListeners = new Set<() => void>();

function persist(): void {
  if (state.accessToken) localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  else localStorage.removeItem(STORAGE_KEY);
}

/** Read-only view of who is signed in; change it only through the functions below. */
export const session = readonly(state);
export const signedIn = computed(() => accessToken() !== null);
export const role = computed<Role | null>(() =>
  signedIn.value ? (state.user?.role ?? null) : null,
);

/** The bearer token, or null when there is none or it has run out. */
export function accessToken(): string | null {
  if (!state.accessToken || (state.expiresAt !== null && Date.now() >= state.expiresAt))
    return null;
  return state.accessToken;
}

/**
 * Keeps a new set of tokens. Sign-in calls it; a refresh (POST /auth/refresh, once the API has
 * it) only needs to call it with what it gets back.
 */
export function saveTokens(tokens: Tokens): void {
  state.accessToken = tokens.accessToken;
  state.expiresAt = Date.now() + tokens.expiresIn * 1000;
  persist();
}

export function startSession(tokens: Tokens, user: User): void {
  state.user = user;
  saveTokens(tokens);
}

export function endSession(): void {
  Object.assign(state, EMPTY);
  persist();
}

/** The API refused the token (401): the session is over; listeners send the user to sign in. */
export function expireSession(): void {
  endSession();
  for (const listener of expiredListeners) listener();
}

export function onSessionExpired(listener: () => void): void {
  expiredListeners.add(listener);
}
