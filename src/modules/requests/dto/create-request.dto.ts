import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { MAX_ATTACHMENT_IDS, MAX_TEXT_LENGTH } from '../../../../workflows';
import { PointDto } from '../../../common/geo/point.dto';
import { NestedObject } from '../../../common/http/nested-object';
import { PHONE } from '../../users/dto/user.dto';
import { CHANNELS, type Channel, PRIORITIES, type Priority } from '../requests.entity';

/** Titles and descriptions are trimmed when stored; all-whitespace would store an empty one. */
const NOT_BLANK = /\S/;

/** What was done on the spot: the resolution, as RESOLVE carries it. */
/** Ids of photos uploaded with POST /attachments: distinct UUIDs, at most MAX_ATTACHMENT_IDS. */
function PhotoIds(description: string) {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      format: 'uuid',
      isArray: true,
      maxItems: MAX_ATTACHMENT_IDS,
      uniqueItems: true,
      description,
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_ATTACHMENT_IDS),
    ArrayUnique((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id)),
    IsUUID('all', { each: true }),
  );
}

export class OnSpotDto {
  @ApiProperty({ example: '已当场联系电工更换灯泡', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  @Matches(NOT_BLANK, { message: 'resolution must not be blank' })
  resolution: string;

  @PhotoIds(
    'photos of the work done (after), uploaded with POST /attachments; needed when the category requires evidence',
  )
  attachmentIds?: string[];
}

export class CreateRequestDto {
  @ApiProperty({ example: '学校门口污水外溢', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title: string;

  @ApiProperty({ example: '下雨后污水从井盖冒出，孩子上学要绕行。', maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  @Matches(NOT_BLANK, { message: 'description must not be blank' })
  description: string;

  @ApiProperty({ example: 'sewage', description: 'category code, see GET /categories' })
  @IsString()
  @Length(1, 64)
  category: string;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({
    enum: CHANNELS,
    description: 'required when a secretary records a request on a resident’s behalf',
  })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({ description: 'on a resident’s behalf: the resident’s name' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  residentName?: string;

  @ApiPropertyOptional({
    example: '13800138000',
    description: 'contact phone; required on a resident’s behalf',
  })
  @IsOptional()
  @Matches(PHONE, { message: 'residentPhone must be a phone number' })
  residentPhone?: string;

  @ApiPropertyOptional({
    example: '东村小学南门',
    maxLength: 500,
    description: 'the address, or where it is in words',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  location?: string;

  @ApiPropertyOptional({
    type: PointDto,
    description:
      'the place on the map; a point outside the town’s area answers 422 REQUEST.POINT_OUTSIDE_AREA',
  })
  @IsOptional()
  @NestedObject(() => PointDto)
  point?: PointDto;

  @ApiPropertyOptional({
    type: OnSpotDto,
    description:
      'staff only: the problem was solved on the spot (现场解决); the request is recorded, accepted and resolved in one go, and the resident gets the feedback link',
  })
  @IsOptional()
  @NestedObject(() => OnSpotDto)
  resolvedOnSpot?: OnSpotDto;

  @ApiPropertyOptional({ description: 'residents only: another branch than their own' })
  @IsOptional()
  @IsUUID()
  branchId?: string;

  @PhotoIds('photos of the problem as found, uploaded with POST /attachments')
  attachmentIds?: string[];
}
