import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ClosingOutcome, RequestState, ResidentRequestContext } from '../../../workflows';
import type { CoordinateSystem } from '../../common/geo/coordinates';
import type { SlaPolicy } from '../sla-policies/sla-defaults';

export const PRIORITIES = ['urgent', 'normal', 'complex'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Where a request came in: the towns' own doors (DESIGN section 1), plus the resident's phone. */
export const CHANNELS = [
  'tea_house',
  'representative_office',
  'visit',
  'petition',
  'hotline',
  'online',
  'app',
  'other',
  // The towns' own doors (issue 10): a mobile service point at a market (流动服务点), the
  // villagers' talk evening (村民说事), a leader's reception day (接访日), a grid or linked-household
  // party member recording for a household (党员联户 / 网格员), an inspection finding (大排查).
  'mobile_service_point',
  'villagers_talk',
  'reception_day',
  'grid_member',
  'inspection',
] as const;
export type Channel = (typeof CHANNELS)[number];

@Entity('requests')
export class RequestEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  reference: string;

  @Column('text')
  title: string;

  @Column('text')
  description: string;

  @Column({ name: 'category_id', type: 'uuid' })
  categoryId: string;

  @Column('text')
  priority: Priority;

  @Column('text')
  channel: Channel;

  @Column('text')
  state: RequestState;

  @Column('int')
  version: number;

  @Column({ name: 'machine_version', type: 'int' })
  machineVersion: number;

  @Column('jsonb')
  context: ResidentRequestContext;

  @Column({ name: 'resident_id', type: 'uuid', nullable: true })
  residentId: string | null;

  @Column({ name: 'resident_name', type: 'text' })
  residentName: string;

  @Column({ name: 'resident_phone', type: 'text', nullable: true })
  residentPhone: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'branch_id', type: 'uuid' })
  branchId: string;

  @Column({ name: 'town_id', type: 'uuid' })
  townId: string;

  @Column({ name: 'unit_path', type: 'text' })
  unitPath: string;

  @Column({ name: 'owner_unit_id', type: 'uuid' })
  ownerUnitId: string;

  @Column({ name: 'assignee_unit_id', type: 'uuid', nullable: true })
  assigneeUnitId: string | null;

  @Column({ name: 'assignee_user_id', type: 'uuid', nullable: true })
  assigneeUserId: string | null;

  @Column({ name: 'escalation_level', type: 'int' })
  escalationLevel: number;

  @Column({ name: 'reopen_count', type: 'int' })
  reopenCount: number;

  @Column({ name: 'return_count', type: 'int' })
  returnCount: number;

  @Column({ name: 'hold_count', type: 'int' })
  holdCount: number;

  @Column({ name: 'on_hold', type: 'boolean' })
  onHold: boolean;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @Column({ type: 'text', nullable: true })
  outcome: ClosingOutcome | null;

  @Column({ type: 'smallint', nullable: true })
  rating: number | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** First ACCEPT or REJECT, and whether it came before the accept deadline (响应). */
  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  @Column({ name: 'responded_on_time', type: 'boolean', nullable: true })
  respondedOnTime: boolean | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  /** First time the request reached `escalated`. */
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  /** First time the request was resolved, and whether that was before the resolve deadline. */
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'resolved_on_time', type: 'boolean', nullable: true })
  resolvedOnTime: boolean | null;

  /** The resolve deadline as set at submission, moved only by an approved extension. */
  @Column({ name: 'resolve_due_at', type: 'timestamptz', nullable: true })
  resolveDueAt: Date | null;

  @Column({ name: 'dispute_count', type: 'int', default: 0 })
  disputeCount: number;

  /** Since when the request has been past a time limit it still has to meet; null when it is not. */
  @Column({ name: 'overdue_since', type: 'timestamptz', nullable: true })
  overdueSince: Date | null;

  /**
   * Since when the current milestone of the request's plan has been past its due time; null when
   * it is not. It puts the request on the overdue board, not in the overdue figures.
   */
  @Column({ name: 'milestone_late_since', type: 'timestamptz', nullable: true })
  milestoneLateSince: Date | null;

  /** The deadline policy in force when the request was created. */
  @Column({ type: 'jsonb', nullable: true })
  sla: SlaPolicy | null;

  /**
   * The earliest due time of the running accept, dispatch and resolve clocks: what a work queue
   * sorts by. Written with the clocks; a trigger keeps it right after any other clock write.
   */
  @Column({ name: 'next_due_at', type: 'timestamptz', nullable: true })
  nextDueAt: Date | null;

  /** The point on the map, in WGS-84 whatever it was given in; both null when none was given. */
  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  /** The system the point was given in (it is stored converted). */
  @Column({ name: 'coordinate_system', type: 'text', nullable: true })
  coordinateSystem: CoordinateSystem | null;

  /** The original this request was merged into as a duplicate (outcome `duplicate`). */
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId: string | null;

  /** Recorded and resolved in one go by staff at intake (现场解决). */
  @Column({ name: 'resolved_on_spot', type: 'boolean', default: false })
  resolvedOnSpot: boolean;
}
