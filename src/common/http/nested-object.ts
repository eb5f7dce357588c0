import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * A body field holding one object of the class `of` names, checked field by field. Same as
 * stacking `@IsObject() @ValidateNested() @Type(of)`, applied in the order a stack applies
 * (bottom up), so validation errors list as they did.
 */
export function NestedObject(of: () => new () => object): PropertyDecorator {
  return applyDecorators(Type(of), ValidateNested(), IsObject());
}
