import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { PageQuery, PageSizeQuery } from '../../../common/http/query';
import { FIGURES, RATE_DOCS } from '../stats-figures';
import { DEFAULT_MIN_RECEIVED, MAX_MIN_RECEIVED } from '../supervision-ranking';

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
export const FORMATS = ['json', 'csv', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];
export const GROUP_BYS = ['unit', 'category', 'day', 'week', 'month', 'channel'] as const;

export class ScopeQueryDto {
  @ApiPropertyOptional({ description: 'the unit whose subtree to look at; default: your own unit' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({
    enum: FORMATS,
    default: 'json',
    description: 'csv is UTF-8 with BOM (Excel)',
  })
  @IsOptional()
  @IsIn(FORMATS)
  format?: Format;
}

export class OverdueQueryDto extends ScopeQueryDto {
  @PageQuery()
  page?: number;

  @PageSizeQuery(50, 500)
  pageSize?: number;
}

export class PeriodQueryDto extends ScopeQueryDto {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description:
      'start, inclusive; a date is midnight in Asia/Shanghai; default: the 1st of this month',
  })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date (2026-11-01) or an ISO-8601 timestamp' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'end, exclusive; default: now' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date (2026-12-01) or an ISO-8601 timestamp' })
  to?: string;
}

export class StatsQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({
    enum: GROUP_BYS,
    default: 'unit',
    description:
      'unit: the children of unitId; day/week/month by Asia/Shanghai dates; channel: by intake door',
  })
  @IsOptional()
  @IsIn(GROUP_BYS)
  groupBy?: (typeof GROUP_BYS)[number];
}

const MIN_RECEIVED_DOC = `a unit with fewer requests received in the period is "not enough data": never ranked, never on a list (default ${DEFAULT_MIN_RECEIVED})`;

export class PutRankingWeightsDto {
  @ApiProperty({ example: 0.3 }) @IsNumber() @Min(0) @Max(1) response: number;
  @ApiProperty({ example: 0.4 }) @IsNumber() @Min(0) @Max(1) resolution: number;
  @ApiProperty({ example: 0.3 }) @IsNumber() @Min(0) @Max(1) satisfaction: number;

  @ApiPropertyOptional({
    example: DEFAULT_MIN_RECEIVED,
    minimum: 1,
    maximum: MAX_MIN_RECEIVED,
    description: `${MIN_RECEIVED_DOC}; absent: the minimum stays as it is`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MIN_RECEIVED)
  minReceived?: number;
}

export class RankingWeightsDto {
  @ApiProperty({ example: 0.3 }) response: number;
  @ApiProperty({ example: 0.4 }) resolution: number;
  @ApiProperty({ example: 0.3 }) satisfaction: number;
  @ApiProperty({ example: DEFAULT_MIN_RECEIVED, description: MIN_RECEIVED_DOC })
  minReceived: number;
}

/** The figure definitions, for the OpenAPI description of the stats endpoint. */
export const FIGURE_DOCS = [
  ...Object.entries(FIGURES).map(([name, doc]) => `- \`${name}\`: ${doc}`),
  ...Object.entries(RATE_DOCS).map(
    ([name, doc]) => `- \`${name}\`: ${doc}; null when its base is zero`,
  ),
].join('\n');
