import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALL_EVENT_TYPES,
  CLOCK_KINDS,
  REQUEST_STATES,
  type RequestEventType,
  type RequestState,
} from '../../../../workflows';
import { AttachmentDto } from '../../attachments/dto/attachment.dto';
import { StoredPointDto } from '../../../common/geo/point.dto';
import { UnitRefDto } from '../../units/dto/unit.dto';
import { CHANNELS, PRIORITIES } from '../requests.entity';
import { DUE_KINDS, type DueKind } from '../../clocks/clock-view';
import { PlanDto, PlanProposalDto } from './plan.dto';

export class CategoryRefDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class ResidentDto {
  @ApiProperty({ nullable: true, type: String, description: 'the resident’s account, if linked' })
  id: string | null;
  @ApiProperty() name: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'masked (138****8000) for all but the resident, the owner and supervisors',
  })
  phone: string | null;
}

export class ClockDto {
  @ApiProperty({
    enum: CLOCK_KINDS,
    description: 'milestone: the current milestone of an approved plan (the last one’s is resolve)',
  })
  kind: (typeof CLOCK_KINDS)[number];
  @ApiProperty({ enum: ['running', 'paused', 'stopped', 'breached'] })
  status: 'running' | 'paused' | 'stopped' | 'breached';
  @ApiProperty({ nullable: true, type: String, description: 'null while paused or stopped' })
  dueAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'time left while paused' })
  remainingMs: number | null;
  @ApiProperty() startedAt: string;
  @ApiProperty({ nullable: true, type: String }) breachedAt: string | null;
}

export class ExtensionRequestedDto {
  @ApiProperty({ description: 'the due time asked for, a timestamp with an offset' })
  until: string;
  @ApiProperty() reason: string;
}

/** A person named on a request: who it is assigned to. */
export class UserRefDto {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
}

/** Another request, by id and reference number. */
export class RequestRefDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'XX-2026-000042' }) reference: string;
}

export const DUPLICATE_REASONS = ['nearby', 'similarTitle'] as const;

/** An open request that may be the same problem (staff only). */
export class PossibleDuplicateDto extends RequestRefDto {
  @ApiProperty() title: string;
  @ApiProperty({ enum: REQUEST_STATES }) state: RequestState;
  @ApiProperty({ type: UnitRefDto }) branch: UnitRefDto;
  @ApiProperty() createdAt: string;
  @ApiProperty({
    enum: DUPLICATE_REASONS,
    isArray: true,
    description:
      'nearby: of the same category within the duplicate distance (DUPLICATE_DISTANCE_M); similarTitle: in the same branch with a near-identical title',
  })
  reasons: (typeof DUPLICATE_REASONS)[number][];
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'metres between the two points; null when one has none',
  })
  distanceM: number | null;
  @ApiProperty({ description: 'how alike the titles are, 0–1 (shared two-character grams)' })
  titleSimilarity: number;
}

export class RequestDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'XX-2026-000042' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: CategoryRefDto }) category: CategoryRefDto;
  @ApiProperty({ enum: PRIORITIES }) priority: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ enum: REQUEST_STATES }) state: RequestState;
  @ApiProperty({ description: 'send it back as If-Match to act only on this version' })
  version: number;
  @ApiProperty() machineVersion: number;
  @ApiProperty({ type: UnitRefDto }) branch: UnitRefDto;
  @ApiProperty({ type: UnitRefDto, description: 'the unit that holds the request now' })
  owner: UnitRefDto;
  @ApiPropertyOptional({ type: UnitRefDto, nullable: true }) assigneeUnit: UnitRefDto | null;
  @ApiProperty({ nullable: true, type: String }) assigneeUserId: string | null;
  @ApiProperty({ type: UserRefDto, nullable: true, description: 'the named assignee, if any' })
  assigneeUser: UserRefDto | null;
  @ApiProperty({ type: ResidentDto }) resident: ResidentDto;
  @ApiProperty({ nullable: true, type: String, description: 'the address, in words' })
  location: string | null;
  @ApiProperty({ nullable: true, type: StoredPointDto, description: 'the place on the map' })
  point: StoredPointDto | null;
  @ApiProperty({ description: 'recorded and resolved on the spot by staff (现场解决)' })
  resolvedOnSpot: boolean;
  @ApiProperty({
    nullable: true,
    type: RequestRefDto,
    description: 'the original this request was merged into as a duplicate',
  })
  mergedInto: RequestRefDto | null;
  @ApiPropertyOptional({
    type: PossibleDuplicateDto,
    isArray: true,
    description:
      'staff, on one request: open requests that may be the same problem, nearest and most alike first (at most 10); absent for residents and in lists',
  })
  possibleDuplicates?: PossibleDuplicateDto[];
  @ApiPropertyOptional({
    type: RequestRefDto,
    isArray: true,
    description: 'staff, on one request: the duplicates merged into it',
  })
  mergedDuplicates?: RequestRefDto[];
  @ApiProperty() escalationLevel: number;
  @ApiProperty() returnCount: number;
  @ApiProperty() holdCount: number;
  @ApiProperty() reopenCount: number;
  @ApiProperty() onHold: boolean;
  @ApiProperty({
    nullable: true,
    type: ExtensionRequestedDto,
    description: 'the extension awaiting a supervisor’s decision',
  })
  extensionRequested: ExtensionRequestedDto | null;
  @ApiProperty({
    nullable: true,
    type: PlanProposalDto,
    description: 'the milestone plan awaiting a supervisor’s decision',
  })
  planPending: PlanProposalDto | null;
  @ApiProperty({
    nullable: true,
    type: PlanDto,
    description:
      'the approved milestone plan and how far it is; the last milestone done resolves the request',
  })
  plan: PlanDto | null;
  @ApiProperty({ nullable: true, type: String }) resolution: string | null;
  @ApiProperty({
    nullable: true,
    enum: ['satisfied', 'dissatisfied', 'unknown', 'no_feedback', 'duplicate'],
  })
  outcome: string | null;
  @ApiProperty({ nullable: true, type: Number }) rating: number | null;
  @ApiProperty({
    enum: ALL_EVENT_TYPES,
    isArray: true,
    description: 'what the caller may send now',
  })
  allowedEvents: RequestEventType[];
  @ApiProperty({ type: ClockDto, isArray: true }) clocks: ClockDto[];
  @ApiProperty({ description: 'open and past a time limit (accept, dispatch or resolve)' })
  overdue: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'when the resolve limit passed; the request stays overdue until resolved',
  })
  overdueSince: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'the earliest due time of the running accept, dispatch, resolve and milestone clocks (what sort=dueAt orders by); null when none runs',
  })
  nextDueAt: string | null;
  @ApiProperty({ nullable: true, enum: DUE_KINDS })
  nextDueKind: DueKind | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiPropertyOptional({
    type: AttachmentDto,
    isArray: true,
    description:
      'GET /requests/{id} only: the photos the caller may see, before (with the request), after (with RESOLVE) and with comments',
  })
  attachments?: AttachmentDto[];
}

export class RequestPageDto {
  @ApiProperty({ type: RequestDto, isArray: true }) items: RequestDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ActorRefDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
}

export class TimelineEntryDto {
  @ApiProperty() seq: number;
  @ApiProperty({ description: 'CREATE, or an event type' }) type: string;
  @ApiProperty({ nullable: true, type: String }) from: string | null;
  @ApiProperty() to: string;
  @ApiProperty({ nullable: true, type: ActorRefDto, description: 'null for the system' })
  actor: ActorRefDto | null;
  @ApiProperty() actorRole: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'the fields sent with the event (REQUEST_EXTENSION sent with a date keeps it as untilDate, and until is the end of that working day), and facts the engine added',
  })
  payload: Record<string, unknown>;
  @ApiProperty() at: string;
  @ApiProperty({
    type: AttachmentDto,
    isArray: true,
    description: 'the photos that came with this event and that the caller may see',
  })
  attachments: AttachmentDto[];
}
