import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { CategoryEntity } from '../categories.entity';

const EVIDENCE =
  'RESOLVE needs at least one photo of the work done (attachmentIds); refused otherwise';

export class CreateCategoryDto {
  @ApiProperty({ example: 'street-lights' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, {
    message: 'code must be lower-case letters, digits and dashes',
  })
  code: string;

  @ApiProperty({ example: '路灯' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: 'Street lights' })
  @IsString()
  @Length(1, 100)
  nameEn: string;

  @ApiPropertyOptional({ description: `${EVIDENCE} (default false)` })
  @IsOptional()
  @IsBoolean()
  evidenceRequired?: boolean;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  nameEn?: string;

  @ApiPropertyOptional({ description: 'inactive categories are refused for new requests' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: EVIDENCE })
  @IsOptional()
  @IsBoolean()
  evidenceRequired?: boolean;
}

export class ListCategoriesQueryDto {
  @ApiPropertyOptional({ description: 'include inactive categories' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  all?: boolean;
}

export class CategoryDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: EVIDENCE }) evidenceRequired: boolean;

  static from(c: CategoryEntity): CategoryDto {
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      nameEn: c.nameEn,
      active: c.active,
      evidenceRequired: c.evidenceRequired,
    };
  }
}
