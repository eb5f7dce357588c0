import { ApiProperty } from '@nestjs/swagger';

export class ProposedMilestoneDto {
  @ApiProperty({ example: '初步设计评审' }) name: string;
  @ApiProperty({ description: 'when it is due' }) dueAt: string;
}

export class PlanProposalDto {
  @ApiProperty({ type: ProposedMilestoneDto, isArray: true }) milestones: ProposedMilestoneDto[];
  @ApiProperty() reason: string;
}

export const MILESTONE_STATUSES = ['done', 'current', 'upcoming'] as const;

export class PlanMilestoneDto {
  @ApiProperty({ description: '1 for the first' }) number: number;
  @ApiProperty({ example: '初步设计评审' }) name: string;
  @ApiProperty({ description: 'when it is due' }) dueAt: string;
  @ApiProperty({
    enum: MILESTONE_STATUSES,
    description: 'done; current: the next to be done; upcoming',
  })
  status: (typeof MILESTONE_STATUSES)[number];
  @ApiProperty({ description: 'the current milestone, past its due time' }) late: boolean;
}

export class PlanDto {
  @ApiProperty({ type: PlanMilestoneDto, isArray: true }) milestones: PlanMilestoneDto[];
  @ApiProperty({ description: 'how many milestones are done' }) done: number;
  @ApiProperty({
    description: 'the due time of the last milestone, where the resolve clock is due',
  })
  endsAt: string;
}
