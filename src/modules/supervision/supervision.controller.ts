import { Body, Controller, Get, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { toCsv, toXlsx, type Table } from '../../common/http/export';
import {
  FIGURE_DOCS,
  type Format,
  OverdueQueryDto,
  PeriodQueryDto,
  RankingWeightsDto,
  StatsQueryDto,
} from './dto/supervision.dto';
import { SupervisionService } from './supervision.service';
import { overdueTable, statsTable } from './supervision.tables';

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
    summary: 'Every open request past its resolve deadline in the subtree, most late first',
    description: '`?format=csv` (UTF-8 with BOM) or `?format=xlsx` exports the whole list.',
  })
  @ApiProduces(
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  async overdue(@CurrentActor() actor: Actor, @Query() q: OverdueQueryDto) {
    if (q.format === 'csv' || q.format === 'xlsx') {
      const all = await this.supervision.overdue(actor, q.unitId, 1, EXPORT_ROWS);
      return exported(overdueTable(all), q.format);
    }
    return this.supervision.overdue(actor, q.unitId, q.page ?? 1, q.pageSize ?? 50);
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Counts and the three rates for a subtree and a period, grouped',
    description: `Rows per group and totals. Figures:\n\n${FIGURE_DOCS}\n\nRequests count under the branch that holds them; \`?format=csv|xlsx\` exports.`,
  })
  @ApiProduces(
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
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
  })
  ranking(@CurrentActor() actor: Actor, @Query() q: PeriodQueryDto) {
    return this.supervision.ranking(actor, q.unitId, this.supervision.period(q.from, q.to, 'unit'));
  }

  @Get('ranking-weights')
  weights() {
    return this.supervision.weights();
  }

  @Put('ranking-weights')
  @Roles('admin')
  @ApiOperation({ summary: 'Set the weights of the three rates (they add up to 1)' })
  setWeights(@Body() dto: RankingWeightsDto) {
    return this.supervision.setWeights(dto);
  }
}
