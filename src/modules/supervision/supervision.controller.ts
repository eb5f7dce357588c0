import { Body, Controller, Get, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { toCsv, toXlsx, type Table } from '../../common/http/export';
import { ApiExportResponse } from '../../common/openapi/export-response';
import {
  FIGURE_DOCS,
  type Format,
  OverdueQueryDto,
  PeriodQueryDto,
  PutRankingWeightsDto,
  RankingWeightsDto,
  StatsQueryDto,
} from './dto/supervision.dto';
import { OverduePageDto, RankingDto, StatsDto } from './dto/supervision-results.dto';
import { SupervisionService } from './supervision.service';
import { overdueTable, rankingTable, statsTable } from './supervision.tables';

/** Exports fetch the whole list, up to this many rows. */
const EXPORT_ROWS = 10_000;

function exported(
  table: Table,
  format: Format | undefined,
): Promise<StreamableFile> | StreamableFile {
  return format === 'xlsx' ? toXlsx(table) : toCsv(table);
}

@ApiTags('supervision')
@ApiBearerAuth()
@Roles('supervisor', 'admin')
@Controller('supervision')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  @Get('overdue')
  @ApiOperation({
    summary:
      'Every open request past its resolve deadline, or late on a milestone of its plan, in the subtree, most late first',
    description: '`?format=csv` (UTF-8 with BOM) or `?format=xlsx` exports the whole list.',
  })
  @ApiExportResponse(OverduePageDto, 'a page of the list, or with ?format the whole list as a file')
  async overdue(@CurrentActor() actor: Actor, @Query() q: OverdueQueryDto) {
    if (q.format === 'csv' || q.format === 'xlsx') {
      const all = await this.supervision.overdue(actor, q.unitId, 1, EXPORT_ROWS);
      return exported(overdueTable(all), q.format);
    }
    return this.supervision.overdue(actor, q.unitId, q.page ?? 1, q.pageSize ?? 50);
  }

  @Get('stats')
  @Roles('supervisor', 'admin', 'secretary')
  @ApiOperation({
    summary: 'Counts and the three rates for a subtree and a period, grouped',
    description: `Rows per group and totals. Figures:\n\n${FIGURE_DOCS}\n\nRequests count under the branch that holds them; \`?format=csv|xlsx\` exports (a title row with the unit and the period, Chinese and English column titles, rates as percentages). A secretary sees their own branch only.`,
  })
  @ApiExportResponse(StatsDto, 'the figures, or with ?format the same as a file')
  async stats(@CurrentActor() actor: Actor, @Query() q: StatsQueryDto) {
    const groupBy = q.groupBy ?? 'unit';
    const result = await this.supervision.stats(
      actor,
      q.unitId,
      this.supervision.period(q.from, q.to, groupBy),
      groupBy,
    );
    if (q.format === 'csv' || q.format === 'xlsx') return exported(statsTable(result), q.format);
    return result;
  }

  @Get('ranking')
  @ApiOperation({
    summary:
      'The red/black list (红黑榜) of the child units by a weighted score of the three rates',
    description:
      'Equal scores share a rank (1, 1, 3) and a list; a unit with fewer requests received than `minReceived` is "not enough data", unranked and on neither list. `?format=csv|xlsx` exports it, each branch with its contact leader.',
  })
  @ApiExportResponse(RankingDto, 'the list, or with ?format the same as a file')
  async ranking(@CurrentActor() actor: Actor, @Query() q: PeriodQueryDto) {
    const result = await this.supervision.ranking(
      actor,
      q.unitId,
      this.supervision.period(q.from, q.to, 'unit'),
    );
    if (q.format === 'csv' || q.format === 'xlsx') return exported(rankingTable(result), q.format);
    return result;
  }

  @Get('ranking-weights')
  @ApiOkResponse({ type: RankingWeightsDto })
  weights(): Promise<RankingWeightsDto> {
    return this.supervision.weights();
  }

  @Put('ranking-weights')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Set the weights of the three rates (they add up to 1) and the minimum of requests to be ranked',
  })
  @ApiOkResponse({ type: RankingWeightsDto })
  setWeights(@Body() dto: PutRankingWeightsDto): Promise<RankingWeightsDto> {
    return this.supervision.setWeights(dto);
  }
}
