import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, ValidateBy } from 'class-validator';
import { COORDINATE_SYSTEMS, type CoordinateSystem } from '../../../common/geo/coordinates';
import { BooleanQuery, IntQuery, PageQuery, PageSizeQuery } from '../../../common/http/query';
import { REQUEST_STATES, type RequestState } from '../../../../workflows';
import { PRIORITIES, type Priority } from '../requests.entity';

export const REQUEST_SORTS = ['-createdAt', 'createdAt', 'dueAt', '-dueAt'] as const;
export type RequestSort = (typeof REQUEST_SORTS)[number];

export const SEARCH_MAX_CHARS = 100;

/**
 * Searchable text: at most 100 characters, and at least one word (white space separates words)
 * of two characters or more, as the search index stores pairs of characters: a lone character
 * could only be found by reading every request. Counted after NFKC, as the index counts them.
 */
export function isSearchable(value: unknown): boolean {
  if (typeof value !== 'string' || [...value].length > SEARCH_MAX_CHARS) return false;
  return value
    .normalize('NFKC')
    .split(/\s+/u)
    .some((word) => [...word].length >= 2);
}

const Searchable = ValidateBy({
  name: 'searchable',
  validator: {
    validate: isSearchable,
    defaultMessage: () =>
      `q must be at most ${SEARCH_MAX_CHARS} characters with a word of at least 2 characters`,
  },
});

/** The widest radius a list may ask for, in metres: a town, not a county. */
export const MAX_NEAR_RADIUS_M = 10_000;

const NEAR = /^(-?\d{1,3}(?:\.\d{1,15})?),(-?\d{1,3}(?:\.\d{1,15})?)$/;

/** `near` as a point: "latitude,longitude" in range, or null. */
export function parseNear(value: unknown): { latitude: number; longitude: number } | null {
  const m = typeof value === 'string' ? NEAR.exec(value.trim()) : null;
  if (!m) return null;
  const latitude = Number(m[1]);
  const longitude = Number(m[2]);
  return Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 ? { latitude, longitude } : null;
}

const Near = ValidateBy({
  name: 'near',
  validator: {
    validate: (value: unknown) => parseNear(value) !== null,
    defaultMessage: () =>
      'near must be latitude,longitude in degrees (e.g. 29.7352,121.7461), latitude −90 to 90, longitude −180 to 180',
  },
});

export class ListRequestsQueryDto {
  @ApiPropertyOptional({
    description: 'one state, or several separated by commas',
    example: 'submitted,accepted',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value,
  )
  @IsIn(REQUEST_STATES, { each: true })
  state?: RequestState[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ description: 'category code' })
  @IsOptional()
  @IsString()
  category?: string;

  @BooleanQuery('only requests past a due time (true) or not (false)')
  overdue?: boolean;

  @ApiPropertyOptional({
    description:
      'words (separated by spaces) each found in the title, description, location or reference ' +
      'number, in any case; two characters at least (路灯), at most 100. A whole reference ' +
      'number (XX-2026-000042) finds that request.',
    maxLength: SEARCH_MAX_CHARS,
    example: '路灯',
  })
  @IsOptional()
  @IsString()
  @Searchable
  q?: string;

  @ApiPropertyOptional({
    enum: REQUEST_SORTS,
    default: '-createdAt',
    description:
      'createdAt: oldest first, -createdAt: newest first; dueAt: the earliest next due time ' +
      '(nextDueAt) first, -dueAt: the latest first. Requests with no running clock come last ' +
      'either way, newest first.',
  })
  @IsOptional()
  @IsIn(REQUEST_SORTS)
  sort?: RequestSort;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @BooleanQuery('only requests on hold (true) or not (false)')
  onHold?: boolean;

  @BooleanQuery(
    'only requests with an extension asked for and not yet decided (true), or without (false)',
  )
  extensionPending?: boolean;

  @BooleanQuery(
    'only requests with a milestone plan proposed and not yet decided (true), or without (false)',
  )
  planPending?: boolean;

  @ApiPropertyOptional({ description: 'only requests assigned to this user' })
  @IsOptional()
  @IsUUID()
  assigneeUserId?: string;

  @IntQuery(0, 10, 'only requests escalated this many levels up (0: not escalated)')
  escalationLevel?: number;

  @ApiPropertyOptional({
    description:
      'only requests with a point within `radius` metres of this one: latitude,longitude (in `nearSystem`)',
    example: '29.7352,121.7461',
  })
  @IsOptional()
  @IsString()
  @Near
  near?: string;

  @IntQuery(1, MAX_NEAR_RADIUS_M, 'with near: the radius in metres (default 500)')
  radius?: number;

  @ApiPropertyOptional({ enum: COORDINATE_SYSTEMS, default: 'wgs84', description: 'of near' })
  @IsOptional()
  @IsIn(COORDINATE_SYSTEMS)
  nearSystem?: CoordinateSystem;

  @PageQuery()
  page?: number;

  @PageSizeQuery(20, 100)
  pageSize?: number;
}
