import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** How deep any list may be paged: past it, narrow the filter instead. */
export const MAX_PAGE = 10_000;

/**
 * Plain decimal digits become a number; anything else (`1e9`, `0x10`, ` 1`, a repeated
 * parameter's array) stays as sent, so `IsInt` refuses it with a 400.
 */
const digitsToNumber = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
);

/** `?page=`: 1-based, optional, at most `max`. */
export function PageQuery(max = MAX_PAGE): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', default: 1, minimum: 1, maximum: max }),
    IsOptional(),
    digitsToNumber,
    IsInt(),
    Min(1),
    Max(max),
  );
}

/** `?pageSize=`: optional, 1 to `max`. */
export function PageSizeQuery(byDefault: number, max: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', default: byDefault, minimum: 1, maximum: max }),
    IsOptional(),
    digitsToNumber,
    IsInt(),
    Min(1),
    Max(max),
  );
}

/** `?flag=true|false`: a query string is text, so only those two words become booleans. */
export function BooleanQuery(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean(),
  );
}

/** `?n=`: an optional whole number from `min` to `max`. */
export function IntQuery(min: number, max: number, description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max, description }),
    IsOptional(),
    digitsToNumber,
    IsInt(),
    Min(min),
    Max(max),
  );
}
