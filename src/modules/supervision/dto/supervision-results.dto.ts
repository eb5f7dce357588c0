import { ApiProperty } from '@nestjs/swagger';
import { REQUEST_STATES, type RequestState } from '../../../../workflows';
import { UnitRefDto } from '../../units/dto/unit.dto';
import { FIGURES, RATE_DOCS } from '../stats-figures';
import { GROUP_BYS, RankingWeightsDto } from './supervision.dto';

export class OverdueItemDto {
  @ApiProperty() id: string;
  @ApiProperty() reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: REQUEST_STATES }) state: RequestState;
  @ApiProperty({ type: UnitRefDto }) branch: UnitRefDto;
  @ApiProperty({ type: UnitRefDto, description: 'the unit that holds it now' }) owner: UnitRefDto;
  @ApiProperty({ description: 'when the resolve limit passed' }) dueAt: string;
  @ApiProperty() hoursLate: number;
  @ApiProperty() escalationLevel: number;
  @ApiProperty() returnCount: number;
  @ApiProperty() holdCount: number;
}

export class OverduePageDto {
  @ApiProperty({ type: UnitRefDto }) unit: UnitRefDto;
  @ApiProperty({ type: OverdueItemDto, isArray: true }) items: OverdueItemDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

/** The figures of stats-figures.ts, each a property with its definition as the description. */
export class FiguresDto {}
for (const [name, meaning] of Object.entries(FIGURES)) {
  ApiProperty({ type: Number, nullable: name.startsWith('avg'), description: meaning })(
    FiguresDto.prototype,
    name,
  );
}
for (const [name, meaning] of Object.entries(RATE_DOCS)) {
  ApiProperty({
    type: Number,
    nullable: true,
    description: `${meaning}; null when its base is zero`,
  })(FiguresDto.prototype, name);
}

export class StatsRowDto extends FiguresDto {
  @ApiProperty({ type: UnitRefDto, required: false, description: 'with groupBy=unit' })
  unit?: UnitRefDto;
  @ApiProperty({
    required: false,
    description:
      'with other groupings: the category code, the channel, or the date (2026-11-01, 2026-W45, 2026-11)',
  })
  key?: string;
}

export class StatsDto {
  @ApiProperty({ type: UnitRefDto }) unit: UnitRefDto;
  @ApiProperty({ description: 'start, inclusive' }) from: string;
  @ApiProperty({ description: 'end, exclusive' }) to: string;
  @ApiProperty({ enum: GROUP_BYS }) groupBy: (typeof GROUP_BYS)[number];
  @ApiProperty({ type: StatsRowDto, isArray: true }) rows: StatsRowDto[];
  @ApiProperty({ type: FiguresDto }) totals: FiguresDto;
}

export class RankedUnitDto {
  @ApiProperty() rank: number;
  @ApiProperty({ type: UnitRefDto }) unit: UnitRefDto;
  @ApiProperty({ type: Number, nullable: true, description: 'null: no rate had a base' })
  score: number | null;
  @ApiProperty({ type: Number, nullable: true }) responseRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) resolutionRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) satisfactionRate: number | null;
  @ApiProperty() received: number;
  @ApiProperty({ enum: ['red', 'black'], nullable: true, description: '红榜 / 黑榜' })
  list: 'red' | 'black' | null;
}

export class RankingDto {
  @ApiProperty({ type: UnitRefDto }) unit: UnitRefDto;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: RankingWeightsDto }) weights: RankingWeightsDto;
  @ApiProperty({ type: RankedUnitDto, isArray: true }) units: RankedUnitDto[];
}
