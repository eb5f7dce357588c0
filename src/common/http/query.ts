import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page=`: 1-based, optional; `max` bounds it where a list could be paged absurdly deep. */
export function PageQuery(max?: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ default: 1, minimum: 1, ...(max ? { maximum: max } : {}) }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    ...(max ? [Max(max)] : []),
  );
}

/** `?pageSize=`: optional, 1 to `max`. */
export function PageSizeQuery(byDefault: number, max: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ default: byDefault, minimum: 1, maximum: max }),
    IsOptional(),
    Type(() => Number),
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
