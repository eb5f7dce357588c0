import type { ValidationError } from 'class-validator';
import { type DomainError, domainError } from './domain-error';

export interface FieldProblem {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** One 400 with every field that is wrong and why. */
export function invalidFields(fields: FieldProblem[]): DomainError {
  const detail = fields.map((f) => f.messages.join('; ')).join('; ') || 'Invalid input';
  return domainError('VALIDATION.FAILED', detail, { errors: fields });
}

/** class-validator failures as one 400 with every field that is wrong. */
export function validationExceptionFactory(errors: ValidationError[]): DomainError {
  return invalidFields(flatten(errors));
}
