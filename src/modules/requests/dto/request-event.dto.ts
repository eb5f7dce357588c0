import type { Type } from '@nestjs/common';
import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import {
  CLOCK_KINDS,
  MAX_MILESTONE_NAME_LENGTH,
  MAX_MILESTONES,
  MAX_ATTACHMENT_IDS,
  MAX_TEXT_LENGTH,
  USER_EVENT_TYPES,
  payloadFields,
  type FieldRule,
} from '../../../../workflows';

type UserEventType = (typeof USER_EVENT_TYPES)[number];

/** How each kind of field of the payload declaration shows in the OpenAPI document. */
function schemaOf(rule: FieldRule) {
  switch (rule.kind) {
    case 'text':
      return { type: String, minLength: 1, maxLength: MAX_TEXT_LENGTH };
    case 'id':
      return rule.referenceOnWire
        ? { type: String, example: 'XX-2026-000042' }
        : { type: String, format: 'uuid' };
    case 'timestamp':
      return rule.dateOnWire
        ? { type: String, example: '2026-12-31' }
        : { type: String, format: 'date-time' };
    case 'rating':
      return { type: 'integer' as const, minimum: 1, maximum: 5 };
    case 'boolean':
      return { type: Boolean };
    case 'clock':
      return { type: String, enum: [...CLOCK_KINDS] };
    case 'fraction':
      return {
        type: Number,
        minimum: 0,
        maximum: 1,
        exclusiveMinimum: true,
        exclusiveMaximum: true,
      };
    case 'milestone':
      return { type: 'integer' as const, minimum: 1, maximum: MAX_MILESTONES };
    case 'milestones':
      return {
        type: 'array' as const,
        minItems: 1,
        maxItems: MAX_MILESTONES,
        items: {
          type: 'object' as const,
          required: ['name', 'due'],
          additionalProperties: false,
          properties: {
            name: { type: 'string' as const, minLength: 1, maxLength: MAX_MILESTONE_NAME_LENGTH },
            due: { type: 'string' as const, example: '2026-12-31' },
          },
        },
      };
    case 'attachments':
      return {
        type: String,
        format: 'uuid',
        isArray: true,
        maxItems: MAX_ATTACHMENT_IDS,
        uniqueItems: true,
      };
  }
}

const pascal = (type: string) =>
  type
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/**
 * The body of one event type, for the OpenAPI document only: made from the payload declaration
 * (workflows/resident-request.payloads.ts), which is also what validates the body, so the two
 * cannot drift apart. `type` is an enum of exactly its own value, the discriminator.
 */
function eventBody(type: UserEventType): Type<unknown> {
  const dto = { [`${pascal(type)}EventDto`]: class {} }[`${pascal(type)}EventDto`];
  ApiProperty({ type: String, enum: [type], example: type })(dto.prototype, 'type');
  for (const [name, rule] of payloadFields(type)) {
    const when = rule.requiredWhen;
    const description = [
      rule.description,
      when && `required when ${when.field} is ${String(when.is)}`,
    ].filter(Boolean);
    ApiProperty({
      ...schemaOf(rule),
      required: !rule.optional,
      ...(rule.optional ? { nullable: true } : {}),
      ...(description.length > 0 ? { description: description.join('; ') } : {}),
    })(dto.prototype, name);
  }
  return dto;
}

/** One body class per event a user may send (the system's own events are not sent over HTTP). */
export const EVENT_BODY_DTOS = Object.fromEntries(
  USER_EVENT_TYPES.map((type) => [type, eventBody(type)]),
) as Record<UserEventType, Type<unknown>>;

/** The events endpoint's body: one of the event bodies, told apart by `type`. */
export const EVENT_BODY_SCHEMA = {
  oneOf: USER_EVENT_TYPES.map((type) => ({ $ref: getSchemaPath(EVENT_BODY_DTOS[type]) })),
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries(
      USER_EVENT_TYPES.map((type) => [type, getSchemaPath(EVENT_BODY_DTOS[type])]),
    ),
  },
};
