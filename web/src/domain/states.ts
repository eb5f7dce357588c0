import type { RequestState } from '../api/client';

export const REQUEST_STATES: readonly RequestState[] = [
  'submitted',
  'accepted',
  'escalated',
  'assigned',
  'resolved',
  'closed',
  'rejected',
  'withdrawn',
];

type Tone = 'primary' | 'warning' | 'success' | 'danger' | 'default';

/** Each state has words, an icon and a tone: the colour is never the only thing that tells. */
export const STATE_LOOK: Record<RequestState, { tone: Tone; icon: string }> = {
  submitted: { tone: 'warning', icon: 'clock-o' },
  accepted: { tone: 'primary', icon: 'underway-o' },
  escalated: { tone: 'warning', icon: 'upgrade' },
  assigned: { tone: 'primary', icon: 'manager-o' },
  resolved: { tone: 'success', icon: 'passed' },
  closed: { tone: 'success', icon: 'checked' },
  rejected: { tone: 'danger', icon: 'close' },
  withdrawn: { tone: 'default', icon: 'revoke' },
};

/** A request closed as a duplicate: it goes on as the original, so it does not look done. */
export const MERGED_LOOK: { tone: Tone; icon: string } = { tone: 'primary', icon: 'link-o' };

/** The message key of a state (or `merged`) in plain words (long) or as a short tag. */
export const stateLabelKey = (state: RequestState | 'merged', short = false): string =>
  `${short ? 'stateShort' : 'states'}.${state}`;

/** The states in which a request still waits for work: the first new, the rest under way. */
export const OPEN_STATES = [
  'submitted',
  'accepted',
  'escalated',
  'assigned',
] as const satisfies readonly RequestState[];
const [NEW, ...UNDER_WAY] = OPEN_STATES;

/** The state filters of a staff inbox, first the work waiting for them. */
export const INBOX_FILTERS = {
  todo: [NEW],
  working: UNDER_WAY,
  resolved: ['resolved'],
  done: ['closed', 'rejected', 'withdrawn'],
  all: [],
} as const satisfies Record<string, readonly RequestState[]>;
export type InboxFilter = keyof typeof INBOX_FILTERS;
