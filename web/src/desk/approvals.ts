import type { EventBody } from '../api/client';
import { eventBody } from '../domain/actions';

/** What a supervisor approves from the list: an extension, or a milestone plan. */
export const APPROVALS = ['extension', 'plan'] as const;
export type Approval = (typeof APPROVALS)[number];

/** The list filter of each kind. */
export const PENDING_QUERY: Record<Approval, { extensionPending?: true; planPending?: true }> = {
  extension: { extensionPending: true },
  plan: { planPending: true },
};

/** Saying no needs words the asker can read (the API requires them for a plan); a yes may go without. */
export const needsWords = (approve: boolean): boolean => !approve;

/** The decision's event: DECIDE_EXTENSION takes a comment, DECIDE_PLAN a reason. */
export const decision = (kind: Approval, approve: boolean, words: string): EventBody =>
  kind === 'plan'
    ? eventBody('DECIDE_PLAN', { approve, reason: words })
    : eventBody('DECIDE_EXTENSION', { approve, comment: words });
