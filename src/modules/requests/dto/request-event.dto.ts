import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { ALL_EVENT_TYPES, MAX_TEXT_LENGTH, type RequestEventType } from '../../../../workflows';

const CLOCKS = ['accept', 'dispatch', 'resolve', 'feedback'] as const;

abstract class EventDto {
  @ApiProperty({ enum: ALL_EVENT_TYPES })
  @IsIn(ALL_EVENT_TYPES)
  type: RequestEventType;
}

class ReasonDto extends EventDto {
  @ApiProperty({ maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  reason: string;
}

class OptionalReasonDto extends EventDto {
  @ApiPropertyOptional({ maxLength: MAX_TEXT_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  reason?: string;
}

export class AcceptEventDto extends EventDto {}
export class RejectEventDto extends ReasonDto {}
export class EscalateEventDto extends ReasonDto {}
export class HoldEventDto extends ReasonDto {}
export class ReopenEventDto extends ReasonDto {}
export class ResumeEventDto extends OptionalReasonDto {}
export class WithdrawEventDto extends OptionalReasonDto {}

export class ReturnEventDto extends ReasonDto {
  @ApiProperty({ description: 'the branch the request really belongs to' })
  @IsUUID()
  branchId: string;
}

export class AssignEventDto extends OptionalReasonDto {
  @ApiProperty({ description: 'a department (or branch) under the owning unit' })
  @IsUUID()
  assigneeUnitId: string;

  @ApiPropertyOptional({ description: 'a named lead cadre (头雁) of that unit' })
  @IsOptional()
  @IsUUID()
  assigneeUserId?: string;
}

export class ResolveEventDto extends EventDto {
  @ApiProperty({ maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  resolution: string;
}

export class RequestExtensionEventDto extends ReasonDto {
  @ApiProperty({ example: '2026-12-01T09:00:00+08:00' })
  @IsISO8601({ strict: true })
  until: string;
}

export class DecideExtensionEventDto extends EventDto {
  @ApiProperty()
  @IsBoolean()
  approve: boolean;

  @ApiPropertyOptional({ maxLength: MAX_TEXT_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  comment?: string;
}

export class ConfirmEventDto extends EventDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @ApiPropertyOptional({ maxLength: MAX_TEXT_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  comment?: string;
}

export class DisputeEventDto extends EventDto {
  @ApiProperty({ maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  comment: string;
}

export class CloseEventDto extends EventDto {
  @ApiProperty({
    description: 'what the resident said on the call-back',
    maxLength: MAX_TEXT_LENGTH,
  })
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  note: string;

  @ApiPropertyOptional({ description: 'the resident said they were satisfied (or not)' })
  @IsOptional()
  @IsBoolean()
  satisfied?: boolean;
}

export class CommentEventDto extends EventDto {
  @ApiProperty({ maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  text: string;

  @ApiPropertyOptional({ description: 'staff only: a note residents never see' })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
}

export class DeadlineEventDto extends EventDto {
  @ApiProperty({ enum: CLOCKS })
  @IsIn(CLOCKS)
  clock: (typeof CLOCKS)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber()
  fraction?: number;
}

export class FeedbackTimeoutEventDto extends EventDto {}

/** The body class for each event type; the body's `type` picks which one validates it. */
export const EVENT_DTOS: Record<RequestEventType, new () => EventDto> = {
  ACCEPT: AcceptEventDto,
  REJECT: RejectEventDto,
  RETURN: ReturnEventDto,
  ESCALATE: EscalateEventDto,
  ASSIGN: AssignEventDto,
  REASSIGN: AssignEventDto,
  RESOLVE: ResolveEventDto,
  HOLD: HoldEventDto,
  RESUME: ResumeEventDto,
  REQUEST_EXTENSION: RequestExtensionEventDto,
  DECIDE_EXTENSION: DecideExtensionEventDto,
  CONFIRM: ConfirmEventDto,
  DISPUTE: DisputeEventDto,
  CLOSE: CloseEventDto,
  WITHDRAW: WithdrawEventDto,
  COMMENT: CommentEventDto,
  REOPEN: ReopenEventDto,
  DEADLINE_WARNING: DeadlineEventDto,
  DEADLINE_BREACHED: DeadlineEventDto,
  FEEDBACK_TIMEOUT: FeedbackTimeoutEventDto,
};
