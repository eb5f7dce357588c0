import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('categories')
export class CategoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn: string;

  @Column('boolean')
  active: boolean;

  /** RESOLVE needs at least one photo of the work done. */
  @Column({ name: 'evidence_required', type: 'boolean' })
  evidenceRequired: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt: Date;
}
