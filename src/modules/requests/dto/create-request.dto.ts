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
} from 'class-validator';
import { MAX_ATTACHMENT_IDS } from '../../../../workflows';
import { PHONE } from '../../users/dto/user.dto';
import { CHANNELS, type Channel, PRIORITIES, type Priority } from '../requests.entity';

/** Titles and descriptions are trimmed when stored; all-whitespace would store an empty one. */
const NOT_BLANK = /\S/;

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

  @ApiPropertyOptional({ example: '东村小学南门', maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  location?: string;

  @ApiPropertyOptional({ description: 'residents only: another branch than their own' })
  @IsOptional()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    isArray: true,
    maxItems: MAX_ATTACHMENT_IDS,
    uniqueItems: true,
    description: 'photos of the problem as found, uploaded with POST /attachments',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ATTACHMENT_IDS)
  @ArrayUnique((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}
