import { Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  ALL_EVENT_TYPES,
  type RequestEventType,
  type ResidentRequestEvent,
} from '../../../../workflows';
import { domainError } from '../../../common/errors/domain-error';
import { validationExceptionFactory } from '../../../common/errors/validation-exception.factory';
import { EVENT_DTOS } from './request-event.dto';

/** Validates an event body against the DTO its `type` names; unknown fields are refused. */
@Injectable()
export class RequestEventPipe implements PipeTransform<unknown, Promise<ResidentRequestEvent>> {
  async transform(body: unknown): Promise<ResidentRequestEvent> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw domainError('VALIDATION.FAILED', 'The body must be a JSON object with a type');
    }
    const type = (body as { type?: unknown }).type;
    if (typeof type !== 'string' || !ALL_EVENT_TYPES.includes(type as RequestEventType)) {
      throw domainError('REQUEST.UNKNOWN_EVENT', 'type must be one of the request events', {
        eventTypes: ALL_EVENT_TYPES,
      });
    }
    const dto = plainToInstance(EVENT_DTOS[type as RequestEventType], body);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw validationExceptionFactory(errors);
    return { ...dto } as unknown as ResidentRequestEvent;
  }
}
