import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { asReference } from '../request-reference';

/** `{id}` of /requests/{id}: the request's uuid or its reference number (XX-2026-000042). */
@Injectable()
export class RequestIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (isUUID(value)) return value;
    const reference = asReference(value);
    if (reference) return reference;
    throw new BadRequestException(
      'Validation failed (a request id or a reference number such as XX-2026-000042 is expected)',
    );
  }
}
