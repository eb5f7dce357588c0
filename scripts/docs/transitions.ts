import type { Actor, Role } from '../../src/common/auth/role';
import { permission } from '../../src/modules/requests/request-policy';
import {
  ALL_EVENT_TYPES,
  type Audience,
  type ClockOp,
  type EffectEvent,
  type EffectRule,
  type MachineState,
  nextState,
  type Notice,
  payloadFields,
  type RequestEventType,
  type RequestState,
  SAMPLE_EVENTS,
  startRequest,
  SYSTEM_EVENT_TYPES,
  TOP_OVERDUE_NOTICES,
  TRANSITION_EFFECTS,
} from '../../workflows';

/**
 * docs/transitions.md: every step of the machine with who may take it, what it carries, what it
 * does to the clocks and who hears of it, read from the machine, the permission policy, the
 * payload declaration and the effects declaration; nothing here is written by hand.
 */

const ID = '11111111-1111-4111-8111-111111111111';

/** Every (event, from, to) the machine can take within a few steps of a new request. */
function steps(): Map<RequestEventType, Set<string>> {
  const found = new Map<RequestEventType, Set<string>>();
  let frontier: MachineState[] = [startRequest({ branchId: ID })];
  const seen = new Set(frontier.map((m) => JSON.stringify(m)));
  for (let depth = 0; depth < 7; depth++) {
    const next: MachineState[] = [];
    for (const m of frontier) {
      for (const e of SAMPLE_EVENTS) {
        const after = nextState(1, m, e);
        if (!after) continue;
        const set = found.get(e.type) ?? new Set<string>();
        set.add(`${m.state} → ${after.state}`);
        found.set(e.type, set);
        const key = JSON.stringify(after);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(after);
        }
      }
    }
    frontier = next;
  }
  return found;
}

/** A request of the branch `/c/t/b/` and one person of each role placed to act on it. */
const PATH = '/c/t/b/';
const callers: [string, Actor][] = (
  [
    ['resident (their own)', 'resident', 'b', PATH, 'resident'],
    ['secretary of its branch', 'secretary', 'b', PATH, 'secretary'],
    ['dispatcher of its town', 'dispatcher', 't', '/c/t/', 'dispatcher'],
    ['assignee it is dispatched to', 'assignee', 'd', '/c/t/d/', 'cadre'],
    ['supervisor above it', 'supervisor', 't', '/c/t/', 'supervisor'],
    ['admin', 'admin', 'c', '/c/', 'admin'],
  ] as [string, Role, string, string, string][]
).map(([label, role, unitId, unitPath, id]) => [
  label,
  { id, username: id, role, unitId, unitPath, displayName: id, phone: null },
]);

function whoMaySend(type: RequestEventType, from: RequestState): string {
  if ((SYSTEM_EVENT_TYPES as readonly string[]).includes(type)) return 'the system';
  const request = {
    state: from,
    context: {} as never,
    residentId: 'resident',
    branchId: 'b',
    townId: 't',
    assigneeUnitId: from === 'assigned' || from === 'resolved' ? 'd' : null,
    assigneeUserId: from === 'assigned' || from === 'resolved' ? 'cadre' : null,
    unitPath: PATH,
  };
  const who = callers
    .filter(([, actor]) => permission(actor, request, type) === 'allowed')
    .map(([label]) => label);
  // A merged duplicate is rated through the link its resident got when the original resolved.
  if (type === 'CONFIRM' && from === 'closed') return 'resident (their own), by feedback link';
  return who.join('; ') || '—';
}

const AUDIENCE: Record<Audience, string> = {
  resident: 'the resident',
  holders: 'whoever holds it now',
  previousHolders: 'whoever held it before',
  branchSecretaries: 'the branch’s secretaries',
  supervisors: 'the supervisors above it',
  resolver: 'whoever resolved it',
  contactLeader: 'the branch’s contact leader',
  followers: 'residents of duplicates merged into it',
};

function clocks(ops: readonly ClockOp[]): string {
  return ops.map((o) => `${o.op} ${o.clock}`).join(', ') || '—';
}

function notices(notify: readonly Notice[]): string {
  return (
    notify
      .map((n) => `${AUDIENCE[n.to]}: \`${n.message}\`${n.urgent ? ' (also by text)' : ''}`)
      .join('; ') || 'nobody'
  );
}

function condition(rule: EffectRule): string {
  const parts = [
    rule.from && `from ${rule.from.join('/')}`,
    rule.to && `to ${rule.to.join('/')}`,
    rule.by && `by ${rule.by}`,
    rule.when?.label,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function payload(type: RequestEventType): string {
  const fields = payloadFields(type);
  return fields.map(([name, rule]) => `\`${name}\`${rule.optional ? '?' : ''}`).join(', ') || '—';
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderTransitions(): string {
  const found = steps();
  const events: EffectEvent[] = ['CREATE', ...ALL_EVENT_TYPES];
  const rows = events.flatMap((type) => {
    const moves =
      type === 'CREATE' ? ['→ submitted'] : [...(found.get(type) ?? new Set<string>())].sort();
    const fromStates = type === 'CREATE' ? [] : moves.map((m) => m.split(' → ')[0] as RequestState);
    const byState =
      type === 'CREATE'
        ? []
        : [...new Set(fromStates)].map((f) => [f, whoMaySend(type, f)] as const);
    const same = new Set(byState.map(([, w]) => w)).size <= 1;
    const who =
      type === 'CREATE'
        ? 'resident; secretary (on a resident’s behalf, with the channel)'
        : same
          ? (byState[0]?.[1] ?? '—')
          : byState.map(([f, w]) => `in ${f}: ${w}`).join('<br>');
    const body = type === 'CREATE' ? 'see `POST /requests`' : payload(type);
    return TRANSITION_EFFECTS[type].map(
      (rule, i) =>
        `| ${i === 0 ? `\`${type}\`` : ''} | ${i === 0 ? moves.join('<br>') : ''} | ${i === 0 ? cell(who) : ''} | ${i === 0 ? body : ''} | ${cell(`${clocks(rule.clocks)}${condition(rule)}`)} | ${cell(notices(rule.notify))} |`,
    );
  });
  return [
    '# Transitions',
    '',
    '<!-- Generated by `npm run docs:transitions` from workflows/ and the permission policy; do not edit. -->',
    '',
    'Every step a request can take: the states it moves between (walked from the machine), who may',
    'send it (the permission policy, in each state it is sent from), the fields it carries (`?`: optional; [events.md](events.md) has the rules), what it',
    'does to the clocks and who is told (the effects declared in',
    '`workflows/resident-request.effects.ts`). Where a step has several lines, the first that fits',
    'applies. Nobody is told of their own step. Residents hear in the app and, when they have a',
    'phone, by text message; staff in the app; every step also goes to the webhooks of the units',
    'above the request.',
    '',
    '| event | from → to | who may send it | fields | clocks | who is told: message |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'A limit that passes at the top of the tree (nobody above to escalate to) takes no step; it is',
    `told to ${notices(TOP_OVERDUE_NOTICES)}.`,
    '',
    'Clock operations: `start` a fresh clock with the full limit; `restart` stops the running one',
    'first; `ensure` starts one unless one runs or is paused; `continue` starts one with the time',
    'that was left when the work was marked resolved; `pause`/`resume` keep the time left;',
    '`extend` moves the due time to the approved extension; `followPlan` to the end of the',
    'approved milestone plan; `nextMilestone` stops the running milestone clock and starts the',
    'clock of the plan’s next milestone, due at its due time (the last milestone has none: the',
    'resolve clock is due then); `stop all` ends every clock. The last `MILESTONE_DONE` of a plan',
    'is followed, in the same command, by a `RESOLVE` with its note as the resolution.',
    '',
  ].join('\n');
}
