import type { EventBody, EventType, RequestDto } from '../api/client';
import {
  type MilestoneRow,
  emptyRow,
  milestoneProblems,
  milestonesBody,
  shanghaiDate,
} from './plan';

/**
 * What each event a person can send asks for, and nothing more: the form of a button shows
 * exactly these fields (see request-event.dto.ts in the API). An event with no field is sent
 * after a confirmation.
 */
export type FieldKind =
  | 'textarea'
  | 'branch'
  | 'department'
  | 'member'
  | 'datetime'
  | 'switch'
  | 'rating'
  /** photos uploaded one by one; the event carries their ids */
  | 'photos'
  /** a plan's milestones, each a name and a due date */
  | 'milestones'
  /** the number of the next milestone, taken from the request, shown not typed */
  | 'milestone'
  /** yes or no, asked as two choices: neither is picked for the person */
  | 'decision'
  /** the request this one duplicates: one of its possible duplicates, or a typed reference number */
  | 'original';

export interface ActionField {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** Required only when another field has this value (a refused plan needs its reason). */
  requiredWhen?: { field: string; is: boolean };
  /** Required when the request's category asks for a photo of the work done. */
  requiredForEvidence?: boolean;
  /** The message key of its label (and `<label>Placeholder`), when `fields.<name>` would mislead. */
  label?: string;
}

/** What the form of an action knows besides its values. */
export interface ActionContext {
  /** The request's category refuses RESOLVE without a photo (CategoryDto.evidenceRequired). */
  evidenceRequired: boolean;
  /** Today in Asia/Shanghai, YYYY-MM-DD: no milestone is due before it. */
  today: string;
}

const text = (name: string, required = true, label?: string): ActionField => ({
  name,
  kind: 'textarea',
  required,
  ...(label ? { label } : {}),
});

const photos = (label: string, requiredForEvidence = false): ActionField => ({
  name: 'attachmentIds',
  kind: 'photos',
  required: false,
  requiredForEvidence,
  label,
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
  RESOLVE: [text('resolution'), photos('photos.fields.after', true)],
  HOLD: [text('reason')],
  RESUME: [],
  REQUEST_EXTENSION: [{ name: 'until', kind: 'datetime', required: true }, text('reason')],
  DECIDE_EXTENSION: [{ name: 'approve', kind: 'switch', required: true }, text('comment', false)],
  CONFIRM: [{ name: 'rating', kind: 'rating', required: true }, text('comment', false)],
  DISPUTE: [text('comment')],
  CLOSE: [text('note'), { name: 'satisfied', kind: 'switch', required: false }],
  WITHDRAW: [],
  COMMENT: [text('text'), photos('photos.fields.comment')],
  REOPEN: [text('reason')],
  PROPOSE_PLAN: [
    { name: 'milestones', kind: 'milestones', required: true, label: 'plan.fields.milestones' },
    text('reason', true, 'plan.fields.reason'),
  ],
  DECIDE_PLAN: [
    { name: 'approve', kind: 'decision', required: true, label: 'plan.fields.decision' },
    {
      name: 'reason',
      kind: 'textarea',
      required: false,
      requiredWhen: { field: 'approve', is: false },
      label: 'plan.fields.refusal',
    },
  ],
  MILESTONE_DONE: [
    { name: 'milestone', kind: 'milestone', required: true },
    text('note', true, 'plan.fields.note'),
  ],
  MERGE: [
    { name: 'intoRequestId', kind: 'original', required: true, label: 'merge.fields.original' },
    text('note', false, 'merge.fields.note'),
  ],
} as const satisfies Partial<Record<EventType, readonly ActionField[]>>;

export type ActionType = keyof typeof ACTION_FIELDS;
export type ActionValues = Record<
  string,
  string | number | boolean | undefined | string[] | MilestoneRow[]
>;

/** The events a person sends (the worker sends DEADLINE_* and FEEDBACK_TIMEOUT itself). */
export const isAction = (type: string): type is ActionType => type in ACTION_FIELDS;

/** The main way forward first, then the rest, then the ones that end or undo something. */
const ORDER: readonly ActionType[] = [
  'ACCEPT',
  'CONFIRM',
  'RESOLVE',
  'MILESTONE_DONE',
  'CLOSE',
  'ASSIGN',
  'ESCALATE',
  'DECIDE_EXTENSION',
  'DECIDE_PLAN',
  'RESUME',
  'COMMENT',
  'REASSIGN',
  'RETURN',
  'MERGE',
  'HOLD',
  'REQUEST_EXTENSION',
  'PROPOSE_PLAN',
  'DISPUTE',
  'REOPEN',
  'REJECT',
  'WITHDRAW',
];

export const PRIMARY_ACTIONS: readonly ActionType[] = [
  'ACCEPT',
  'CONFIRM',
  'RESOLVE',
  'MILESTONE_DONE',
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

const NO_CONTEXT: ActionContext = { evidenceRequired: false, today: shanghaiDate() };

/** Whether a field must be filled, given what else the form holds and the request. */
export function isRequired(
  field: ActionField,
  values: ActionValues,
  context: ActionContext = NO_CONTEXT,
): boolean {
  if (field.required) return true;
  if (field.requiredWhen && values[field.requiredWhen.field] === field.requiredWhen.is) return true;
  return field.requiredForEvidence === true && context.evidenceRequired;
}

/** The message key of a field's label. */
export const labelOf = (field: ActionField): string => field.label ?? `fields.${field.name}`;

/** The names of required fields still empty (or unreadable), and of milestones that do not hold. */
export function missingFields(
  type: ActionType,
  values: ActionValues,
  context: ActionContext = NO_CONTEXT,
): string[] {
  return fieldsOf(type)
    .filter((f) => {
      const v = values[f.name];
      if (f.kind === 'milestones')
        return (
          Object.keys(
            milestoneProblems(Array.isArray(v) ? (v as MilestoneRow[]) : [], context.today),
          ).length > 0
        );
      if (!isRequired(f, values, context)) return false;
      if (f.kind === 'datetime') return shanghaiIso(String(v ?? '')) === null;
      if (f.kind === 'rating') return !(typeof v === 'number' && v >= 1 && v <= 5);
      if (f.kind === 'switch' || f.kind === 'decision') return typeof v !== 'boolean';
      if (f.kind === 'milestone') return typeof v !== 'number';
      if (f.kind === 'photos') return !(Array.isArray(v) && v.length > 0);
      return typeof v !== 'string' || v.trim() === '';
    })
    .map((f) => f.name);
}

/**
 * The body an action sends. Built from the fields the action asks for, so TypeScript cannot follow
 * it to the one event schema it matches; the API validates it against that schema.
 */
export function eventBody(type: ActionType, values: ActionValues): EventBody {
  const body: Record<string, unknown> = { type };
  for (const f of fieldsOf(type)) {
    const v = values[f.name];
    if (v === undefined || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length > 0)
        body[f.name] = f.kind === 'milestones' ? milestonesBody(v as MilestoneRow[]) : [...v];
    } else if (f.kind === 'datetime') body[f.name] = shanghaiIso(String(v));
    else if (typeof v === 'string') {
      if (v.trim() !== '') body[f.name] = v.trim();
    } else body[f.name] = v;
  }
  return body as EventBody;
}

/**
 * Starting values: a required switch starts off, an optional one untouched (CLOSE's satisfied
 * stays unknown unless said), a rating at no star so the resident picks one, a decision unmade, a
 * plan with one empty milestone, and the milestone to mark done the next one of the request's plan.
 */
export function initialValues(type: ActionType, request?: Pick<RequestDto, 'plan'>): ActionValues {
  const values: ActionValues = {};
  for (const f of fieldsOf(type)) {
    if (f.kind === 'switch') values[f.name] = f.required ? false : undefined;
    else if (f.kind === 'rating') values[f.name] = 0;
    else if (f.kind === 'decision') values[f.name] = undefined;
    else if (f.kind === 'photos') values[f.name] = [];
    else if (f.kind === 'milestones') values[f.name] = [emptyRow()];
    else if (f.kind === 'milestone') values[f.name] = (request?.plan?.done ?? 0) + 1;
    else values[f.name] = '';
  }
  return values;
}
