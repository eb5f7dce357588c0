import type { ValidationError } from 'class-validator';
import { type DomainError, domainError } from './domain-error';

function flatten(errors: ValidationError[], prefix = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator failures as one 400 with every field that is wrong. */
export function validationExceptionFactory(errors: ValidationError[]): DomainError {
  const fields = flatten(errors);
  const detail = fields.map((f) => f.messages.join('; ')).join('; ') || 'Invalid input';
  return domainError('VALIDATION.FAILED', detail, { errors: fields });
}
