import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { BooleanQuery, PageQuery, PageSizeQuery } from '../../../common/http/query';
import { REQUEST_STATES, type RequestState } from '../../../../workflows';

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

  @PageQuery()
  page?: number;

  @PageSizeQuery(20, 100)
  pageSize?: number;
}
