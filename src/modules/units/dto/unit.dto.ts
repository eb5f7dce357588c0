import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { AreaDto, StoredAreaDto } from '../../../common/geo/point.dto';
import { NestedObject } from '../../../common/http/nested-object';
import { UNIT_TYPES, type UnitEntity, type UnitType } from '../units.entity';

const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PREFIX = /^[A-Z]{2,6}$/;

export class CreateUnitDto {
  @ApiProperty({ example: 'branch-4', description: 'lower-case letters, digits and dashes' })
  @Matches(CODE, { message: 'code must be lower-case letters, digits and dashes' })
  code: string;

  @ApiProperty({ example: '东村' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: UNIT_TYPES })
  @IsIn(UNIT_TYPES)
  type: UnitType;

  @ApiPropertyOptional({ description: 'required for every type but county' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ example: 'XX', description: 'towns only: prefix of reference numbers' })
  @IsOptional()
  @Matches(PREFIX, { message: 'refPrefix must be 2 to 6 capital letters' })
  refPrefix?: string;

  @ApiPropertyOptional({
    type: AreaDto,
    description: 'towns only: the area requests may point into (a point outside is refused)',
  })
  @IsOptional()
  @NestedObject(() => AreaDto)
  area?: AreaDto;
}

export class UpdateUnitDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'towns only' })
  @IsOptional()
  @Matches(PREFIX, { message: 'refPrefix must be 2 to 6 capital letters' })
  refPrefix?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uuid',
    description:
      'branches only: the contact leader (包乡走村), an active user of a town or county above the branch; null removes them',
  })
  @IsOptional()
  @IsUUID()
  contactLeaderId?: string | null;

  @ApiPropertyOptional({
    type: AreaDto,
    nullable: true,
    description: 'towns only: the area requests may point into; null removes it',
  })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @NestedObject(() => AreaDto)
  area?: AreaDto | null;
}

export class ListUnitsQueryDto {
  @ApiPropertyOptional({ enum: UNIT_TYPES })
  @IsOptional()
  @IsIn(UNIT_TYPES)
  type?: UnitType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class UnitDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: UNIT_TYPES }) type: UnitType;
  @ApiProperty({ nullable: true, type: String }) parentId: string | null;
  @ApiProperty({ nullable: true, type: String }) refPrefix: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'branches: the user id of the contact leader (包乡走村), if any',
  })
  contactLeaderId: string | null;
  @ApiProperty({ nullable: true, type: StoredAreaDto, description: 'towns only' })
  area: StoredAreaDto | null;

  static from(u: UnitEntity): UnitDto {
    return {
      id: u.id,
      code: u.code,
      name: u.name,
      type: u.type,
      parentId: u.parentId,
      refPrefix: u.refPrefix,
      contactLeaderId: u.contactLeaderId,
      area:
        u.areaLatitude !== null && u.areaLongitude !== null && u.areaRadiusM !== null
          ? { latitude: u.areaLatitude, longitude: u.areaLongitude, radiusM: u.areaRadiusM }
          : null,
    };
  }
}

/** The short form embedded in requests. */
export class UnitRefDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;

  static from(u: Pick<UnitEntity, 'id' | 'code' | 'name'>): UnitRefDto {
    return { id: u.id, code: u.code, name: u.name };
  }
}
