import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, ValidateBy } from 'class-validator';
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

  @PageQuery()
  page?: number;

  @PageSizeQuery(20, 100)
  pageSize?: number;
}
