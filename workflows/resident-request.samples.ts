import type { ResidentRequestEvent } from './resident-request.machine';

const BRANCH = 'bb000000-0000-4000-8000-00000000000b';
const DEPARTMENT = 'd1000000-0000-4000-8000-000000000001';
const OTHER_DEPARTMENT = 'd2000000-0000-4000-8000-000000000002';
const ORIGINAL = 'aa000000-0000-4000-8000-00000000000a';

/**
 * One well-formed event of each kind (both answers of a decision, a breach of each clock that
 * moves the request), to walk the machine with: the generated docs and the effects tests.
 */
export const SAMPLE_EVENTS: readonly ResidentRequestEvent[] = [
  { type: 'ACCEPT' },
  { type: 'REJECT', reason: 'r' },
  { type: 'RETURN', reason: 'r', branchId: BRANCH },
  { type: 'ESCALATE', reason: 'r' },
  { type: 'ASSIGN', assigneeUnitId: DEPARTMENT },
  { type: 'REASSIGN', assigneeUnitId: OTHER_DEPARTMENT },
  { type: 'RESOLVE', resolution: 'done' },
  { type: 'HOLD', reason: 'r' },
  { type: 'RESUME' },
  { type: 'REQUEST_EXTENSION', until: '2030-01-31T16:00:00Z', reason: 'r' },
  { type: 'DECIDE_EXTENSION', approve: true },
  { type: 'DECIDE_EXTENSION', approve: false },
  { type: 'CONFIRM', rating: 4 },
  { type: 'DISPUTE', comment: 'c' },
  { type: 'CLOSE', note: 'n' },
  { type: 'WITHDRAW' },
  { type: 'COMMENT', text: 't' },
  { type: 'REOPEN', reason: 'r' },
  {
    type: 'PROPOSE_PLAN',
    milestones: [
      { name: 'm1', due: '2030-01-31T16:00:00Z' },
      { name: 'm2', due: '2030-02-28T16:00:00Z' },
    ],
    reason: 'r',
  },
  { type: 'DECIDE_PLAN', approve: true },
  { type: 'DECIDE_PLAN', approve: false, reason: 'r' },
  { type: 'MILESTONE_DONE', milestone: 1, note: 'n' },
  { type: 'MILESTONE_DONE', milestone: 2, note: 'n' },
  { type: 'DEADLINE_WARNING', clock: 'resolve' },
  { type: 'DEADLINE_BREACHED', clock: 'accept' },
  { type: 'DEADLINE_BREACHED', clock: 'resolve' },
  { type: 'FEEDBACK_TIMEOUT' },
  { type: 'MERGE', intoRequestId: ORIGINAL },
];
