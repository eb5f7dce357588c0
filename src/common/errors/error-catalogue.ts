/**
 * Every error code the API answers with, its HTTP status and what it means. Clients branch on
 * `code`, never on the message; this object is the one list, read by the errors' constructor, the
 * problem filter, the OpenAPI document and `docs/errors.md`.
 */
export const ERROR_CATALOGUE = {
  'AUTH.UNAUTHENTICATED': { status: 401, meaning: 'No bearer token was sent.' },
  'AUTH.INVALID_CREDENTIALS': { status: 401, meaning: 'Wrong username or password.' },
  'AUTH.INVALID_TOKEN': {
    status: 401,
    meaning: 'The token is malformed, expired, used or revoked, or its account is inactive.',
  },
  'AUTH.TOO_MANY_ATTEMPTS': {
    status: 429,
    meaning: 'Too many failed sign-ins; wait `Retry-After` seconds.',
  },
  'AUTH.WRONG_PASSWORD': { status: 403, meaning: 'The current password given is wrong.' },
  'AUTH.FORBIDDEN': { status: 403, meaning: "The caller's role may not call this operation." },

  'VALIDATION.FAILED': {
    status: 400,
    meaning: 'The body or query breaks a rule; `errors` names each field and why.',
  },

  'HTTP.BAD_REQUEST': { status: 400, meaning: 'The request is malformed.' },
  'HTTP.MALFORMED_JSON': { status: 400, meaning: 'The body is not valid JSON.' },
  'HTTP.REQUEST_ABORTED': { status: 400, meaning: 'The client stopped sending the body.' },
  'HTTP.INVALID_CHARACTERS': {
    status: 400,
    meaning:
      'The path, a query parameter or a body key or value holds a NUL, a bidirectional control character or an unpaired surrogate; `field` names it.',
  },
  'HTTP.JSON_TOO_DEEP': {
    status: 400,
    meaning: 'The JSON body nests objects and arrays deeper than 32 levels.',
  },
  'HTTP.INVALID_IF_MATCH': { status: 400, meaning: 'If-Match is not a request version.' },
  'HTTP.INVALID_IDEMPOTENCY_KEY': {
    status: 400,
    meaning: 'Idempotency-Key must be 1–200 visible ASCII characters.',
  },
  'HTTP.NOT_FOUND': { status: 404, meaning: 'No such route.' },
  'HTTP.METHOD_NOT_ALLOWED': { status: 405, meaning: 'The route does not take this method.' },
  'HTTP.PAYLOAD_TOO_LARGE': { status: 413, meaning: 'The body is larger than the limit.' },
  'HTTP.UNSUPPORTED_MEDIA_TYPE': {
    status: 415,
    meaning: 'The body has a content type not taken here.',
  },
  'HTTP.UNSUPPORTED_ENCODING': {
    status: 415,
    meaning: 'The body has an unsupported encoding or charset.',
  },
  INTERNAL: { status: 500, meaning: 'A fault on our side; it is logged with the request id.' },

  'IDEMPOTENCY.KEY_REUSED': {
    status: 422,
    meaning: 'The Idempotency-Key was used before for a different request.',
  },

  'REQUEST.NOT_FOUND': {
    status: 404,
    meaning: "No such request, or it lies outside the caller's scope.",
  },
  'REQUEST.UNKNOWN_EVENT': { status: 400, meaning: 'The event `type` is not a request event.' },
  'REQUEST.INVALID_BRANCH': {
    status: 400,
    meaning: 'The branch does not exist or may not be used.',
  },
  'REQUEST.INVALID_TARGET': { status: 400, meaning: 'The assignee unit or user may not be used.' },
  'REQUEST.INVALID_CATEGORY': { status: 400, meaning: 'No active category has this code.' },
  'REQUEST.INVALID_CHANNEL': { status: 400, meaning: 'This role may not use this intake channel.' },
  'REQUEST.CHANNEL_REQUIRED': {
    status: 400,
    meaning: "A request recorded on a resident's behalf needs its intake channel.",
  },
  'REQUEST.RESIDENT_REQUIRED': {
    status: 400,
    meaning: "A request recorded on a resident's behalf needs the resident's name.",
  },
  'REQUEST.INVALID_RESIDENT': { status: 400, meaning: 'The named resident may not be used.' },
  'REQUEST.EVENT_FORBIDDEN': { status: 403, meaning: 'The caller may never send this event here.' },
  'REQUEST.NOT_OWNER': {
    status: 403,
    meaning: 'The request is in someone else\u2019s hands right now.',
  },
  'REQUEST.TRANSITION_NOT_ALLOWED': {
    status: 409,
    meaning: 'The request\u2019s state does not allow the event; `allowedEvents` lists what does.',
  },
  'REQUEST.ALREADY_ON_HOLD': {
    status: 409,
    meaning: 'HOLD (or PROPOSE_PLAN) while the request is on hold; RESUME it first.',
  },
  'REQUEST.HOLD_LIMIT_REACHED': {
    status: 409,
    meaning: 'HOLD after the request was put on hold as often as allowed (3 times).',
  },
  'REQUEST.NOT_ON_HOLD': { status: 409, meaning: 'RESUME while the request is not on hold.' },
  'REQUEST.EXTENSION_PENDING': {
    status: 409,
    meaning: 'REQUEST_EXTENSION (or PROPOSE_PLAN) while an extension request awaits its decision.',
  },
  'REQUEST.NO_PENDING_EXTENSION': {
    status: 409,
    meaning: 'DECIDE_EXTENSION while no extension request awaits a decision.',
  },
  'REQUEST.PLAN_PENDING': {
    status: 409,
    meaning: 'PROPOSE_PLAN, HOLD or REQUEST_EXTENSION while a milestone plan awaits its decision.',
  },
  'REQUEST.NO_PENDING_PLAN': {
    status: 409,
    meaning: 'DECIDE_PLAN while no milestone plan awaits a decision.',
  },
  'REQUEST.PLAN_RUNNING': {
    status: 409,
    meaning:
      'RESOLVE, HOLD, REQUEST_EXTENSION or PROPOSE_PLAN while an approved milestone plan has milestones left; the last MILESTONE_DONE resolves the request.',
  },
  'REQUEST.NO_PLAN_RUNNING': {
    status: 409,
    meaning: 'MILESTONE_DONE without an approved milestone plan with a milestone left.',
  },
  'REQUEST.PLAN_OUTDATED': {
    status: 409,
    meaning:
      'DECIDE_PLAN approving a plan whose first milestone is due already; refuse it, and a new one can be proposed.',
  },
  'REQUEST.MILESTONE_OUT_OF_ORDER': {
    status: 409,
    meaning: 'MILESTONE_DONE naming another milestone than the next one not done.',
  },
  'REQUEST.VERSION_CONFLICT': {
    status: 409,
    meaning: 'Someone changed the request at the same moment; read it again and retry.',
  },
  'REQUEST.PRECONDITION_FAILED': {
    status: 412,
    meaning: 'If-Match names an older version of the request.',
  },
  'REQUEST.POINT_OUTSIDE_AREA': {
    status: 422,
    meaning:
      'The point lies outside the town\u2019s area (in the sea, elsewhere, or 0, 0 from a phone without a position fix).',
  },
  'REQUEST.MERGE_INTO_ITSELF': { status: 400, meaning: 'MERGE names the request itself.' },
  'REQUEST.MERGE_TARGET_NOT_OPEN': {
    status: 409,
    meaning:
      'MERGE into a request that is resolved, closed, rejected or withdrawn; merge only into one still being worked on.',
  },
  'REQUEST.MERGE_CYCLE': {
    status: 409,
    meaning: 'MERGE into a request that was itself merged into this one.',
  },

  'REQUEST.EVIDENCE_REQUIRED': {
    status: 422,
    meaning:
      'RESOLVE on a category that requires evidence without a photo of the work done in `attachmentIds`.',
  },

  'ATTACHMENT.NOT_FOUND': {
    status: 404,
    meaning:
      "No such attachment: unknown, of a request outside the caller's scope, or someone else's upload not attached yet.",
  },
  'ATTACHMENT.FILE_REQUIRED': {
    status: 400,
    meaning: 'The upload is not one file in the multipart/form-data field `file`.',
  },
  'ATTACHMENT.UNSUPPORTED_TYPE': {
    status: 415,
    meaning:
      'The file is not a JPEG, PNG, WebP or HEIC image, judged by its content, not its name.',
  },
  'ATTACHMENT.UNREADABLE': {
    status: 422,
    meaning:
      'The file starts like an image but cannot be read as one (damaged, or too many pixels).',
  },
  'ATTACHMENT.TOO_LARGE': {
    status: 413,
    meaning: 'The file is larger than the limit (ATTACHMENT_MAX_BYTES, 10 MB unless set).',
  },
  'ATTACHMENT.TOO_MANY_PENDING': {
    status: 429,
    meaning:
      'The caller uploaded as many files not yet attached to anything in the last day as allowed.',
  },
  'ATTACHMENT.TOO_MANY': {
    status: 400,
    meaning:
      'One request, comment or resolution names more files than allowed (ATTACHMENT_MAX_PER_EVENT, 9 unless set).',
  },
  'ATTACHMENT.NOT_ATTACHABLE': {
    status: 400,
    meaning:
      '`attachmentIds` names a file that is unknown, uploaded by someone else, or attached already.',
  },

  'UNIT.NOT_FOUND': { status: 404, meaning: 'No such unit in the caller\u2019s view.' },
  'UNIT.DUPLICATE': { status: 409, meaning: 'A unit with this code exists.' },
  'UNIT.IN_USE': { status: 409, meaning: 'The unit still has children, users or requests.' },
  'UNIT.INVALID_PARENT': { status: 400, meaning: 'This unit type may not sit under that parent.' },
  'UNIT.REF_PREFIX_REQUIRED': { status: 400, meaning: 'A town needs a reference-number prefix.' },
  'UNIT.REF_PREFIX_NOT_ALLOWED': { status: 400, meaning: 'Only towns carry a reference prefix.' },
  'UNIT.INVALID_CONTACT_LEADER': {
    status: 400,
    meaning:
      'A contact leader must be an active user of the town or county above a branch, and only a branch has one.',
  },
  'UNIT.AREA_NOT_ALLOWED': { status: 400, meaning: 'Only towns have an area on the map.' },

  'USER.NOT_FOUND': { status: 404, meaning: 'No such user.' },
  'USER.DUPLICATE': { status: 409, meaning: 'The username is taken.' },
  'USER.INVALID_UNIT': { status: 400, meaning: 'The role may not belong to that unit.' },
  'USER.WEAK_PASSWORD': {
    status: 400,
    meaning: 'The password is under 10 characters, a common one, or the username.',
  },

  'CATEGORY.NOT_FOUND': { status: 404, meaning: 'No such category.' },
  'CATEGORY.DUPLICATE': { status: 409, meaning: 'A category with this code exists.' },

  'SLA.UNKNOWN_PRIORITY': { status: 404, meaning: 'No such priority.' },
  'SLA.INVALID_DURATION': { status: 400, meaning: 'A limit is not a usable ISO-8601 duration.' },
  'SLA.ACCEPT_EXCEEDS_RESOLVE': {
    status: 400,
    meaning: 'The accept limit is longer than the resolve limit.',
  },

  'CALENDAR.INVALID': { status: 400, meaning: 'The working calendar or its import is unusable.' },
  'CALENDAR.DATE_NOT_FOUND': {
    status: 404,
    meaning: 'The date to remove is not among the holidays (or make-up days).',
  },

  'FEEDBACK.LINK_INVALID': {
    status: 404,
    meaning: 'The feedback link is not one this system sent (mistyped, cut short or altered).',
  },
  'FEEDBACK.LINK_USED': {
    status: 410,
    meaning: 'Feedback on that resolution was already given, or the request was closed.',
  },
  'FEEDBACK.LINK_SUPERSEDED': {
    status: 410,
    meaning: 'The work was done again after that link was sent; the newest link counts.',
  },
  'FEEDBACK.LINK_EXPIRED': {
    status: 410,
    meaning: 'The feedback window of that resolution has closed.',
  },

  'NOTIFICATION.NOT_FOUND': { status: 404, meaning: 'No such notification of the caller.' },

  'WEBHOOK.NOT_FOUND': { status: 404, meaning: 'No such webhook.' },
  'WEBHOOK.INVALID_UNIT': { status: 400, meaning: 'The webhook\u2019s unit does not exist.' },
  'WEBHOOK.URL_NOT_ALLOWED': {
    status: 400,
    meaning:
      'The URL is not https, or its host is internal (loopback, private, …) and not allow-listed.',
  },

  'SUPERVISION.INVALID_PERIOD': {
    status: 400,
    meaning: 'The period is malformed or ends before it starts.',
  },
  'SUPERVISION.PERIOD_TOO_LONG': { status: 400, meaning: 'The period is longer than allowed.' },
  'SUPERVISION.INVALID_WEIGHTS': {
    status: 400,
    meaning: 'The ranking weights do not add up to 1.',
  },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
