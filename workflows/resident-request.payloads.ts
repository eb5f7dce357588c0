import type { Sender } from './resident-request.effects';
import type { RequestEventType, ResidentRequestEvent } from './resident-request.machine';
import { MAX_MILESTONE_NAME_LENGTH, MAX_MILESTONES } from './resident-request.plan';

/**
 * What each event carries: one declaration per event type and field, read by the machine's guard
 * and by the HTTP validation of `POST /requests/{id}/events` alike, so a payload is judged by one
 * set of rules everywhere. Pure data and pure functions, like the machine.
 */

export const MAX_TEXT_LENGTH = 2000;
export const CLOCK_KINDS = ['accept', 'dispatch', 'resolve', 'feedback', 'milestone'] as const;
/**
 * The most attachments one event may name, whatever the configured limit (ATTACHMENT_MAX_PER_EVENT,
 * at most this) says: a bound on the input, judged before anything is read.
 */
export const MAX_ATTACHMENT_IDS = 50;

/**
 * What an attached file shows: the problem as found (with the request), the work as done (with
 * RESOLVE, the proof a category may require), or a photo added to a comment.
 */
export const ATTACHMENT_ROLES = ['before', 'after', 'comment'] as const;
export type AttachmentRole = (typeof ATTACHMENT_ROLES)[number];
/** The creation of a request is not a machine event; its photos show the problem as found. */
export const CREATE_ATTACHMENT_ROLE: AttachmentRole = 'before';

export type FieldKind =
  /** a string of at most MAX_TEXT_LENGTH characters, not empty and not only white space */
  | 'text'
  /** a UUID (a unit, a user) */
  | 'id'
  /** an ISO-8601 timestamp with an offset (Z or ±hh:mm) */
  | 'timestamp'
  /** a whole number from 1 to 5 */
  | 'rating'
  | 'boolean'
  /** one of CLOCK_KINDS */
  | 'clock'
  /** a number between 0 and 1, both excluded */
  | 'fraction'
  /**
   * a list of 1 to MAX_MILESTONES milestones, each `{name, due}`: a name of at most
   * MAX_MILESTONE_NAME_LENGTH characters and a due timestamp (a date on the wire), strictly later
   * than the one before
   */
  | 'milestones'
  /** the number of a milestone in its plan: a whole number from 1 to MAX_MILESTONES */
  | 'milestone'
  /** a list of distinct UUIDs of uploaded files, at most MAX_ATTACHMENT_IDS */
  | 'attachments';

export interface FieldRule {
  readonly kind: FieldKind;
  /** May be left out, or null. */
  readonly optional?: true;
  /** A resident may not set it (true): only staff may. */
  readonly staffOnly?: true;
  /**
   * A timestamp that an HTTP caller may also give as a date (YYYY-MM-DD); the engine turns the
   * date into a timestamp before the machine sees the event.
   */
  readonly dateOnWire?: true;
  /**
   * An id of a request that an HTTP caller may also give as its reference number
   * (XX-2026-000042); the engine turns it into the id before the machine sees the event.
   */
  readonly referenceOnWire?: true;
  /** For people: the OpenAPI document shows it. */
  readonly description?: string;
  /** An optional field that is required when another field of the event has this value. */
  readonly requiredWhen?: { readonly field: string; readonly is: unknown };
  /** For `attachments`: what the files linked with the event show. */
  readonly role?: AttachmentRole;
}

const text = { kind: 'text' } as const;
const optionalText = { kind: 'text', optional: true } as const;
const clock = { kind: 'clock', description: 'the clock that fired' } as const;
const attachments = (role: AttachmentRole, description: string) =>
  ({ kind: 'attachments', optional: true, role, description }) as const;

export const EVENT_PAYLOADS = {
  ACCEPT: {},
  REJECT: { reason: text },
  RETURN: {
    reason: text,
    branchId: {
      kind: 'id',
      description: 'the branch of the same town the request really belongs to (not its own)',
    },
  },
  ESCALATE: { reason: text },
  ASSIGN: {
    assigneeUnitId: { kind: 'id', description: 'a department (or branch) under the owning unit' },
    assigneeUserId: { kind: 'id', optional: true, description: 'a lead cadre (头雁) of that unit' },
    reason: optionalText,
  },
  REASSIGN: {
    assigneeUnitId: { kind: 'id', description: 'a department (or branch) under the owning unit' },
    assigneeUserId: { kind: 'id', optional: true, description: 'a lead cadre (头雁) of that unit' },
    reason: optionalText,
  },
  RESOLVE: {
    resolution: text,
    attachmentIds: attachments(
      'after',
      'photos of the work done (POST /attachments); a category that requires evidence needs at least one',
    ),
  },
  HOLD: { reason: text },
  RESUME: { reason: optionalText },
  REQUEST_EXTENSION: {
    until: {
      kind: 'timestamp',
      dateOnWire: true,
      description:
        'a date (2026-12-31), meaning the end of that working day in Asia/Shanghai, or a timestamp with an offset (2026-12-31T17:30:00+08:00)',
    },
    reason: text,
  },
  DECIDE_EXTENSION: { approve: { kind: 'boolean' }, comment: optionalText },
  CONFIRM: {
    rating: { kind: 'rating', description: '1–5; 3 (基本满意) and up counts as satisfied' },
    comment: optionalText,
  },
  DISPUTE: { comment: text },
  CLOSE: {
    note: { kind: 'text', description: 'what the resident said on the call-back (回访)' },
    satisfied: {
      kind: 'boolean',
      optional: true,
      description: 'the resident said they were satisfied (or not); left out: unknown',
    },
  },
  WITHDRAW: { reason: optionalText },
  COMMENT: {
    text,
    internal: {
      kind: 'boolean',
      optional: true,
      staffOnly: true,
      description: 'a note among staff; only staff may set it',
    },
    attachmentIds: attachments('comment', 'photos uploaded with POST /attachments'),
  },
  REOPEN: { reason: text },
  PROPOSE_PLAN: {
    milestones: {
      kind: 'milestones',
      dateOnWire: true,
      description: `1–${MAX_MILESTONES} milestones in order, each a name (at most ${MAX_MILESTONE_NAME_LENGTH} characters) and a due date (2026-12-31: the end of that working day in Asia/Shanghai) or timestamp, each later than the one before and in the future`,
    },
    reason: { kind: 'text', description: 'why the resolution needs a plan' },
  },
  DECIDE_PLAN: {
    approve: { kind: 'boolean' },
    reason: {
      kind: 'text',
      optional: true,
      requiredWhen: { field: 'approve', is: false },
      description: 'why the plan is refused',
    },
  },
  MILESTONE_DONE: {
    milestone: {
      kind: 'milestone',
      description: 'the number of the milestone done (1 for the first); the next one not yet done',
    },
    note: { kind: 'text', description: 'what was done; the resident reads it' },
  },
  DEADLINE_WARNING: { clock, fraction: { kind: 'fraction', optional: true } },
  DEADLINE_BREACHED: { clock },
  FEEDBACK_TIMEOUT: {},
  MERGE: {
    intoRequestId: {
      kind: 'id',
      referenceOnWire: true,
      description:
        'the original: an open request the caller sees (its id or reference number), not this one',
    },
    note: optionalText,
  },
} as const satisfies Record<RequestEventType, Readonly<Record<string, FieldRule>>>;

/** The declared fields of an event type, in order. */
export function payloadFields(type: RequestEventType): [string, FieldRule][] {
  return Object.entries(EVENT_PAYLOADS[type] as Readonly<Record<string, FieldRule>>);
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Declared<T extends RequestEventType> = keyof (typeof EVENT_PAYLOADS)[T];
type Typed<T extends RequestEventType> = Exclude<
  keyof Extract<ResidentRequestEvent, { type: T }>,
  'type'
>;
type MustBeNever<T extends never> = T;
/**
 * Fails to compile, naming the event, when an event's declared fields differ from the fields of
 * its TypeScript type in the machine.
 */
export type DeclaredFieldsMatchTheEventTypes = MustBeNever<
  {
    [T in RequestEventType]: Same<Declared<T>, Typed<T>> extends true ? never : T;
  }[RequestEventType]
>;

/** An event as sent: its type and whatever fields came with it. */
export interface EventBody {
  type: RequestEventType;
  [field: string]: unknown;
}

export interface FieldError {
  field: string;
  messages: string[];
}

/**
 * `wire`: as an HTTP caller may send it (a date where `dateOnWire` allows one). `resolved`: as the
 * machine receives it, after the engine has turned such dates into timestamps.
 */
export type PayloadForm = 'wire' | 'resolved';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A reference number as the engine makes them: town prefix, year, number (XX-2026-000042). */
export const REFERENCE_NUMBER = /^[A-Za-z]{2,6}-\d{4}-\d{6,9}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date as 'YYYY-MM-DD' (2026-02-30 is not one). */
export function isIsoDate(value: unknown): value is string {
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value;
}

export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value)) return false;
  const parsed = new Date(value);
  // Date rolls 2026-02-30 over to March; a real date survives the round trip.
  return !Number.isNaN(parsed.getTime()) && isIsoDate(value.slice(0, 10));
}

/** Why a value breaks its rule, or null when it keeps it. Null and absence are judged apart. */
function breach(name: string, rule: FieldRule, value: unknown, form: PayloadForm): string | null {
  switch (rule.kind) {
    case 'text':
      if (typeof value !== 'string') return `${name} must be text`;
      if (value.trim().length === 0) return `${name} must not be empty or only white space`;
      return value.length > MAX_TEXT_LENGTH
        ? `${name} must be at most ${MAX_TEXT_LENGTH} characters`
        : null;
    case 'id': {
      if (typeof value === 'string' && UUID.test(value)) return null;
      const referenceAllowed = rule.referenceOnWire === true && form === 'wire';
      if (referenceAllowed && typeof value === 'string' && REFERENCE_NUMBER.test(value.trim())) {
        return null;
      }
      return referenceAllowed
        ? `${name} must be a request id (UUID) or a reference number (XX-2026-000042)`
        : `${name} must be a UUID`;
    }
    case 'timestamp': {
      if (isTimestamp(value)) return null;
      const dateAllowed = rule.dateOnWire === true && form === 'wire';
      if (dateAllowed && isIsoDate(value)) return null;
      return dateAllowed
        ? `${name} must be a date (YYYY-MM-DD) or a timestamp with an offset (e.g. 2026-12-31T17:30:00+08:00)`
        : `${name} must be a timestamp with an offset (e.g. 2026-12-31T17:30:00+08:00)`;
    }
    case 'rating':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5
        ? null
        : `${name} must be a whole number from 1 to 5`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `${name} must be true or false`;
    case 'clock':
      return (CLOCK_KINDS as readonly unknown[]).includes(value)
        ? null
        : `${name} must be one of ${CLOCK_KINDS.join(', ')}`;
    case 'fraction':
      return typeof value === 'number' && value > 0 && value < 1
        ? null
        : `${name} must be a number between 0 and 1 (both excluded)`;
    case 'milestone':
      return Number.isInteger(value) &&
        (value as number) >= 1 &&
        (value as number) <= MAX_MILESTONES
        ? null
        : `${name} must be a whole number from 1 to ${MAX_MILESTONES}`;
    case 'milestones':
      return Array.isArray(value) && value.length >= 1 && value.length <= MAX_MILESTONES
        ? null
        : `${name} must be a list of 1 to ${MAX_MILESTONES} milestones`;
    case 'attachments':
      if (!Array.isArray(value) || !value.every((id) => typeof id === 'string' && UUID.test(id))) {
        return `${name} must be a list of attachment ids (UUIDs)`;
      }
      if (value.length > MAX_ATTACHMENT_IDS) {
        return `${name} may name at most ${MAX_ATTACHMENT_IDS} attachments`;
      }
      return new Set(value.map((id: string) => id.toLowerCase())).size === value.length
        ? null
        : `${name} must not name an attachment twice`;
  }
}

/** Where two due times can be compared as sent: both dates, or both timestamps. */
function comparable(a: unknown, b: unknown): [number, number] | null {
  if (isIsoDate(a) && isIsoDate(b)) return [Date.parse(a), Date.parse(b)];
  if (isTimestamp(a) && isTimestamp(b)) return [Date.parse(a), Date.parse(b)];
  return null;
}

/**
 * The milestones of a plan, each field named with its place (`milestones[2].due`). Due times must
 * go forward; a date and a timestamp side by side are compared by the engine once the date is a
 * timestamp (this declaration judges the resolved event too).
 */
function milestoneErrors(
  name: string,
  rule: FieldRule,
  list: unknown[],
  form: PayloadForm,
): FieldError[] {
  const errors: FieldError[] = [];
  const dueRule: FieldRule = { kind: 'timestamp', dateOnWire: rule.dateOnWire };
  list.forEach((item, i) => {
    const at = `${name}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ field: at, messages: [`${at} must be an object with a name and a due date`] });
      return;
    }
    const m = item as Record<string, unknown>;
    const label = breach(`${at}.name`, text, m.name, form);
    if (label) errors.push({ field: `${at}.name`, messages: [label] });
    else if ((m.name as string).length > MAX_MILESTONE_NAME_LENGTH) {
      errors.push({
        field: `${at}.name`,
        messages: [`${at}.name must be at most ${MAX_MILESTONE_NAME_LENGTH} characters`],
      });
    }
    const due =
      m.due === undefined || m.due === null
        ? `${at}.due is required`
        : breach(`${at}.due`, dueRule, m.due, form);
    if (due) errors.push({ field: `${at}.due`, messages: [due] });
    else if (i > 0) {
      const before = list[i - 1];
      const beforeDue =
        typeof before === 'object' && before !== null
          ? (before as Record<string, unknown>).due
          : undefined;
      const pair = comparable(beforeDue, m.due);
      if (pair && pair[1] <= pair[0]) {
        errors.push({
          field: `${at}.due`,
          messages: [`${at}.due must be later than ${name}[${i - 1}].due`],
        });
      }
    }
    for (const key of Object.keys(m)) {
      if (key !== 'name' && key !== 'due') {
        errors.push({
          field: `${at}.${key}`,
          messages: [`${at}.${key} is not a field of a milestone`],
        });
      }
    }
  });
  return errors;
}

/** The attachments field of an event type and what its files show, or null when it takes none. */
export function attachmentsOf(
  type: RequestEventType,
): { field: string; role: AttachmentRole } | null {
  const found = payloadFields(type).find(([, rule]) => rule.kind === 'attachments');
  return found ? { field: found[0], role: found[1].role ?? 'comment' } : null;
}

/**
 * Every field of the event that breaks its declaration: missing, of the wrong kind, or not a
 * field of that event at all. The event's `type` must be a known event type.
 */
export function payloadErrors(body: EventBody, form: PayloadForm = 'resolved'): FieldError[] {
  const declared = EVENT_PAYLOADS[body.type] as Readonly<Record<string, FieldRule>>;
  const errors: FieldError[] = [];
  for (const [name, rule] of Object.entries(declared)) {
    const value = body[name];
    if (value === undefined || value === null) {
      const when = rule.requiredWhen;
      if (!rule.optional) errors.push({ field: name, messages: [`${name} is required`] });
      else if (when && body[when.field] === when.is) {
        errors.push({
          field: name,
          messages: [`${name} is required when ${when.field} is ${String(when.is)}`],
        });
      }
      continue;
    }
    const message = breach(name, rule, value, form);
    if (message) errors.push({ field: name, messages: [message] });
    else if (rule.kind === 'milestones') {
      errors.push(...milestoneErrors(name, rule, value as unknown[], form));
    }
  }
  for (const name of Object.keys(body)) {
    if (name !== 'type' && !Object.hasOwn(declared, name)) {
      errors.push({ field: name, messages: [`${name} is not a field of ${body.type}`] });
    }
  }
  return errors;
}

/** Fields the sender may not set: a resident setting a staff-only field. */
export function senderErrors(body: EventBody, sender: Sender): FieldError[] {
  if (sender !== 'resident') return [];
  const set = (value: unknown) => value !== undefined && value !== null && value !== false;
  return payloadFields(body.type)
    .filter(([name, rule]) => rule.staffOnly && set(body[name]))
    .map(([name]) => ({ field: name, messages: [`only staff may set ${name}`] }));
}
