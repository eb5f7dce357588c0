import type { paths } from '../api/schema';
import type { Role, User } from '../session';
import { INBOX_FILTERS, type InboxFilter, OPEN_STATES } from './states';

/** What GET /requests takes, less the paging. */
export type ListQuery = Omit<
  NonNullable<paths['/api/v1/requests']['get']['parameters']['query']>,
  'page' | 'pageSize'
>;

/** One tab of a work list: its words (a message key) and what it asks the API for. */
export interface Queue {
  key: string;
  label: string;
  query: (me: User) => ListQuery;
}

const queue = (key: string, query: ListQuery | ((me: User) => ListQuery)): Queue => ({
  key,
  label: `queues.${key}`,
  query: typeof query === 'function' ? query : () => query,
});

const DONE = ['closed', 'rejected', 'withdrawn'] as const;
const overdue = queue('overdue', { overdue: true });
const onHold = queue('onHold', { onHold: true });
const all = queue('all', {});

/** Supervisors and admins keep the lists by state until their own screens take over. */
const byState = (Object.keys(INBOX_FILTERS) as InboxFilter[]).map((key): Queue => ({
  key,
  label: `filters.${key}`,
  query: () => (INBOX_FILTERS[key].length ? { state: [...INBOX_FILTERS[key]] } : {}),
}));

/**
 * Each role's work lists, the one it opens on first: what waits for that person. Staff lists
 * come in the order the time runs out (sort=dueAt), a resident's newest first.
 */
export const QUEUES: Record<Role, Queue[]> = {
  resident: [
    all,
    queue('open', { state: [...OPEN_STATES] }),
    queue('toConfirm', { state: ['resolved'] }),
    queue('done', { state: [...DONE] }),
  ],
  secretary: [
    queue('new', { state: ['submitted'] }),
    queue('mine', { state: ['accepted'] }),
    onHold,
    overdue,
    queue('toCallBack', { state: ['resolved'] }),
    queue('done', { state: [...DONE] }),
    all,
  ],
  dispatcher: [
    queue('toDispatch', { state: ['escalated'] }),
    queue('dispatched', { state: ['assigned'] }),
    overdue,
    all,
  ],
  assignee: [
    queue('toMe', (me) => ({ state: ['assigned'], assigneeUserId: me.id })),
    queue('department', { state: ['assigned'] }),
    onHold,
    overdue,
    queue('resolvedByUs', { state: ['resolved'] }),
    all,
  ],
  supervisor: byState,
  admin: byState,
};

/** Residents read their requests newest first; staff work on what runs out first. */
export const sortOf = (role: Role): ListQuery['sort'] =>
  role === 'resident' ? '-createdAt' : 'dueAt';

/** A whole reference number (XX-2026-000042), as the API reads one. */
const REFERENCE = /^[A-Za-z]{2,6}-\d{4}-\d{6,9}$/;

/**
 * What a search box holds: a reference number opens that request; words search the list. As
 * the API takes them: at most 100 characters, and a word of two characters at least (the index
 * stores pairs of characters), counted after NFKC.
 */
export function readSearch(
  input: string,
): { kind: 'reference'; reference: string } | { kind: 'words'; q: string } | { kind: 'tooShort' } {
  const text = [...input.normalize('NFKC').trim().replace(/\s+/gu, ' ')].slice(0, 100).join('');
  if (REFERENCE.test(text)) return { kind: 'reference', reference: text.toUpperCase() };
  if (!text.split(' ').some((word) => [...word].length >= 2)) return { kind: 'tooShort' };
  return { kind: 'words', q: text };
}
