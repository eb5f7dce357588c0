import { Injectable, type PipeTransform } from '@nestjs/common';
import {
  ALL_EVENT_TYPES,
  payloadErrors,
  type RequestEventType,
  type ResidentRequestEvent,
} from '../../../../workflows';
import { domainError } from '../../../common/errors/domain-error';
import { invalidFields } from '../../../common/errors/validation-exception.factory';

/**
 * Validates an event body against the payload declaration of the event its `type` names, the
 * same rules the machine's guard applies; every wrong or unknown field is named.
 */
@Injectable()
export class RequestEventPipe implements PipeTransform<unknown, ResidentRequestEvent> {
  transform(body: unknown): ResidentRequestEvent {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw domainError('VALIDATION.FAILED', 'The body must be a JSON object with a type');
    }
    const type = (body as { type?: unknown }).type;
    if (typeof type !== 'string' || !ALL_EVENT_TYPES.includes(type as RequestEventType)) {
      throw domainError('REQUEST.UNKNOWN_EVENT', 'type must be one of the request events', {
        eventTypes: ALL_EVENT_TYPES,
      });
    }
    const event = body as ResidentRequestEvent;
    const errors = payloadErrors(event, 'wire');
    if (errors.length > 0) throw invalidFields(errors);
    return event;
  }
}
