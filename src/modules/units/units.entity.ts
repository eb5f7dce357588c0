import { Column, Entity, PrimaryColumn } from 'typeorm';

export const UNIT_TYPES = ['county', 'town', 'branch', 'department'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

@Entity('units')
export class UnitEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column('text')
  type: UnitType;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @Column('text')
  path: string;

  @Column({ name: 'ref_prefix', type: 'text', nullable: true })
  refPrefix: string | null;

  /** Branches only: the town- or county-level leader who looks after it (包乡走村). */
  @Column({ name: 'contact_leader_id', type: 'uuid', nullable: true })
  contactLeaderId: string | null;
  /** A town's area on the map (WGS-84 centre, radius in metres): points outside it are refused. */
  @Column({ name: 'area_latitude', type: 'double precision', nullable: true })
  areaLatitude: number | null;

  @Column({ name: 'area_longitude', type: 'double precision', nullable: true })
  areaLongitude: number | null;

  @Column({ name: 'area_radius_m', type: 'int', nullable: true })
  areaRadiusM: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt: Date;
}
