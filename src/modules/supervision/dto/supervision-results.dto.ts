import { ApiProperty } from '@nestjs/swagger';
import { REQUEST_STATES, type RequestState } from '../../../../workflows';
import { CategoryRefDto } from '../../requests/dto/request.dto';
import { UnitRefDto } from '../../units/dto/unit.dto';
import { FIGURES, RATE_DOCS } from '../stats-figures';
import { GROUP_BYS, RankingWeightsDto } from './supervision.dto';

export class LateMilestoneDto {
  @ApiProperty({ description: '1 for the first' }) number: number;
  @ApiProperty({ description: 'how many milestones the plan has' }) of: number;
  @ApiProperty({ example: '财政审批' }) name: string;
  @ApiProperty() dueAt: string;
}

export class OverdueItemDto {
  @ApiProperty() id: string;
  @ApiProperty() reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: REQUEST_STATES }) state: RequestState;
  @ApiProperty({ type: CategoryRefDto }) category: CategoryRefDto;
  @ApiProperty({ type: UnitRefDto }) branch: UnitRefDto;
  @ApiProperty({ type: UnitRefDto, description: 'the unit that holds it now' }) owner: UnitRefDto;
  @ApiProperty({
    description: 'when the resolve limit passed, or the late milestone was due (the earlier)',
  })
  dueAt: string;
  @ApiProperty({ description: 'hours past the limit, one decimal' }) hoursLate: number;
  @ApiProperty() escalationLevel: number;
  @ApiProperty() returnCount: number;
  @ApiProperty() holdCount: number;
  @ApiProperty({
    type: LateMilestoneDto,
    nullable: true,
    description: 'the milestone of its plan the request is late on; null when it is not',
  })
  lateMilestone: LateMilestoneDto | null;
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
  @ApiProperty({ required: false, description: 'with groupBy=category: the category’s name' })
  name?: string;
}

export class StatsDto {
  @ApiProperty({ type: UnitRefDto }) unit: UnitRefDto;
  @ApiProperty({ description: 'start, inclusive' }) from: string;
  @ApiProperty({ description: 'end, exclusive' }) to: string;
  @ApiProperty({ enum: GROUP_BYS }) groupBy: (typeof GROUP_BYS)[number];
  @ApiProperty({ type: StatsRowDto, isArray: true }) rows: StatsRowDto[];
  @ApiProperty({ type: FiguresDto }) totals: FiguresDto;
}

export class ContactLeaderDto {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
}

export class RankedUnitDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'equal scores share a rank (1, 1, 3); null when not ranked (see standing)',
  })
  rank: number | null;
  @ApiProperty({
    enum: ['ranked', 'notEnoughData', 'noScore'],
    description:
      'notEnoughData: fewer requests received than minReceived; noScore: no rate had a base',
  })
  standing: 'ranked' | 'notEnoughData' | 'noScore';
  @ApiProperty({ type: UnitRefDto }) unit: UnitRefDto;
  @ApiProperty({
    type: ContactLeaderDto,
    nullable: true,
    description: 'a branch’s contact leader (包乡走村), if it has one',
  })
  contactLeader: ContactLeaderDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null when not ranked' })
  score: number | null;
  @ApiProperty({ type: Number, nullable: true }) responseRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) resolutionRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) satisfactionRate: number | null;
  @ApiProperty() received: number;
  @ApiProperty({
    enum: ['red', 'black'],
    nullable: true,
    description: '红榜 / 黑榜; equal scores share a list; never for a unit that is not ranked',
  })
  list: 'red' | 'black' | null;
}

export class RankingDto {
  @ApiProperty({ type: UnitRefDto }) unit: UnitRefDto;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: RankingWeightsDto }) weights: RankingWeightsDto;
  @ApiProperty({ type: RankedUnitDto, isArray: true }) units: RankedUnitDto[];
}
