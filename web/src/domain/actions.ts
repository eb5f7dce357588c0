import type { EventBody, EventType } from '../api/client';

/**
 * What each event a person can send asks for, and nothing more: the form of a button shows
 * exactly these fields (see request-event.dto.ts in the API). An event with no field is sent
 * after a confirmation.
 */
export type FieldKind =
  'textarea' | 'branch' | 'department' | 'member' | 'datetime' | 'switch' | 'rating';

export interface ActionField {
  name: string;
  kind: FieldKind;
  required: boolean;
}

const text = (name: string, required = true): ActionField => ({
  name,
  kind: 'textarea',
  required,
});

/** A dispatch goes to a department, and to a named cadre of it if the dispatcher picks one. */
const department: ActionField = { name: 'assigneeUnitId', kind: 'department', required: true };
const cadre: ActionField = { name: 'assigneeUserId', kind: 'member', required: false };

export const ACTION_FIELDS = {
  ACCEPT: [],
  REJECT: [text('reason')],
  RETURN: [{ name: 'branchId', kind: 'branch', required: true }, text('reason')],
  ESCALATE: [text('reason')],
  ASSIGN: [department, cadre, text('reason', false)],
  REASSIGN: [department, cadre, text('reason', false)],
  RESOLVE: [text('resolution')],
  HOLD: [text('reason')],
  RESUME: [],
  REQUEST_EXTENSION: [{ name: 'until', kind: 'datetime', required: true }, text('reason')],
  DECIDE_EXTENSION: [{ name: 'approve', kind: 'switch', required: true }, text('comment', false)],
  CONFIRM: [{ name: 'rating', kind: 'rating', required: true }, text('comment', false)],
  DISPUTE: [text('comment')],
  CLOSE: [text('note'), { name: 'satisfied', kind: 'switch', required: false }],
  WITHDRAW: [],
  COMMENT: [text('text')],
  REOPEN: [text('reason')],
} as const satisfies Partial<Record<EventType, readonly ActionField[]>>;

export type ActionType = keyof typeof ACTION_FIELDS;
export type ActionValues = Record<string, string | number | boolean | undefined>;

/** The events a person sends (the worker sends DEADLINE_* and FEEDBACK_TIMEOUT itself). */
export const isAction = (type: string): type is ActionType => type in ACTION_FIELDS;

/** The main way forward first, then the rest, then the ones that end or undo something. */
const ORDER: readonly ActionType[] = [
  'ACCEPT',
  'CONFIRM',
  'RESOLVE',
  'CLOSE',
  'ASSIGN',
  'ESCALATE',
  'DECIDE_EXTENSION',
  'RESUME',
  'COMMENT',
  'REASSIGN',
  'RETURN',
  'HOLD',
  'REQUEST_EXTENSION',
  'DISPUTE',
  'REOPEN',
  'REJECT',
  'WITHDRAW',
];

export const PRIMARY_ACTIONS: readonly ActionType[] = [
  'ACCEPT',
  'CONFIRM',
  'RESOLVE',
  'CLOSE',
  'ASSIGN',
];
export const DANGER_ACTIONS: readonly ActionType[] = ['REJECT', 'WITHDRAW'];

export function actionsOf(allowed: readonly string[]): ActionType[] {
  return ORDER.filter((type) => allowed.includes(type));
}

export const fieldsOf = (type: ActionType): readonly ActionField[] => ACTION_FIELDS[type];

/** A due time typed as "2026-12-31 17:30", read in Asia/Shanghai where the towns are. */
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;

export function shanghaiIso(value: string): string | null {
  const m = LOCAL_DATETIME.exec(value.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** The names of required fields still empty (or unreadable). */
export function missingFields(type: ActionType, values: ActionValues): string[] {
  return fieldsOf(type)
    .filter((f) => {
      const v = values[f.name];
      if (f.kind === 'datetime') return f.required && shanghaiIso(String(v ?? '')) === null;
      if (f.kind === 'rating') return f.required && !(typeof v === 'number' && v >= 1 && v <= 5);
      if (f.kind === 'switch') return f.required && typeof v !== 'boolean';
      return f.required && (typeof v !== 'string' || v.trim() === '');
    })
    .map((f) => f.name);
}

/** The body to POST to /requests/{id}/events: only this event's fields, empty optional ones left out. */
/**
 * The body an action sends. Built from the fields the action asks for, so TypeScript cannot follow
 * it to the one event schema it matches; the API validates it against that schema.
 */
export function eventBody(type: ActionType, values: ActionValues): EventBody {
  const body: Record<string, unknown> = { type };
  for (const f of fieldsOf(type)) {
    const v = values[f.name];
    if (v === undefined || v === '') continue;
    if (f.kind === 'datetime') body[f.name] = shanghaiIso(String(v));
    else if (typeof v === 'string') {
      if (v.trim() !== '') body[f.name] = v.trim();
    } else body[f.name] = v;
  }
  return body as EventBody;
}

/**
 * Starting values: a required switch starts off, an optional one untouched (CLOSE's satisfied
 * stays unknown unless said), a rating at no star so the resident picks one.
 */
export function initialValues(type: ActionType): ActionValues {
  const values: ActionValues = {};
  for (const f of fieldsOf(type)) {
    if (f.kind === 'switch') values[f.name] = f.required ? false : undefined;
    else if (f.kind === 'rating') values[f.name] = 0;
    else values[f.name] = '';
  }
  return values;
}
