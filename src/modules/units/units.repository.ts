import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';
import { UnitEntity, type UnitType } from './units.entity';

export interface NewUnit {
  id: string;
  code: string;
  name: string;
  type: UnitType;
  parent: UnitEntity | null;
  refPrefix: string | null;
  area: UnitArea | null;
}

/** A town's area, WGS-84 centre. */
export interface UnitArea {
  latitude: number;
  longitude: number;
  radiusM: number;
}

const areaColumns = (area: UnitArea | null) => ({
  areaLatitude: area?.latitude ?? null,
  areaLongitude: area?.longitude ?? null,
  areaRadiusM: area?.radiusM ?? null,
});

@Injectable()
export class UnitsRepository {
  constructor(private readonly db: DatabaseService) {}

  private get repo() {
    return this.db.manager().getRepository(UnitEntity);
  }

  findById(id: string): Promise<UnitEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByCode(code: string): Promise<UnitEntity | null> {
    return this.repo.findOneBy({ code });
  }

  findByIds(ids: string[]): Promise<UnitEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo.createQueryBuilder('u').where('u.id = ANY(:ids)', { ids }).getMany();
  }

  /** The subtree under `path`, or every unit, ordered so parents come before their children. */
  list(filter: { underPath?: string; type?: UnitType; parentId?: string }): Promise<UnitEntity[]> {
    const q = this.repo.createQueryBuilder('u');
    if (filter.underPath) q.andWhere('u.path LIKE :prefix', { prefix: `${filter.underPath}%` });
    if (filter.type) q.andWhere('u.type = :type', { type: filter.type });
    if (filter.parentId) q.andWhere('u.parent_id = :parentId', { parentId: filter.parentId });
    return q.orderBy('length(u.path)', 'ASC').addOrderBy('u.code', 'ASC').getMany();
  }

  async insert(unit: NewUnit): Promise<UnitEntity> {
    const path = `${unit.parent?.path ?? '/'}${unit.id}/`;
    await this.repo.insert({
      id: unit.id,
      code: unit.code,
      name: unit.name,
      type: unit.type,
      parentId: unit.parent?.id ?? null,
      path,
      refPrefix: unit.refPrefix,
      ...areaColumns(unit.area),
    });
    return (await this.findById(unit.id)) as UnitEntity;
  }

  /** `area`: undefined leaves it, null removes it. */
  async update(
    id: string,
    changes: {
      name?: string;
      refPrefix?: string | null;
      contactLeaderId?: string | null;
      area?: UnitArea | null;
    },
  ): Promise<void> {
    const { area, ...rest } = changes;
    await this.repo.update(
      { id },
      { ...rest, ...(area === undefined ? {} : areaColumns(area)), updatedAt: new Date() },
    );
  }

  /** A user as a contact leader is judged: active or not, and their unit's type and path. */
  async leaderCandidate(
    userId: string,
  ): Promise<{ active: boolean; unitType: UnitType; unitPath: string } | undefined> {
    const [row] = await this.db
      .manager()
      .query<{ active: boolean; unitType: UnitType; unitPath: string }[]>(
        `SELECT u.active, n.type AS "unitType", n.path AS "unitPath"
         FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = $1`,
        [userId],
      );
    return row;
  }

  /**
   * Ends the user's contact leaderships of the branches they may no longer lead, by the rule
   * `UnitsService.assertCanLead` names them with: all of them when inactive or not at a town or
   * county, else those outside their unit.
   */
  async releaseLeader(userId: string): Promise<void> {
    await this.db.manager().query(
      `UPDATE units b SET contact_leader_id = NULL, updated_at = now()
         FROM users u JOIN units n ON n.id = u.unit_id
        WHERE u.id = $1 AND b.contact_leader_id = u.id
          AND (NOT u.active OR n.type NOT IN ('town', 'county') OR NOT starts_with(b.path, n.path))`,
      [userId],
    );
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** How many children, users and requests still hang on a unit (a unit in use is not deleted). */
  async usage(id: string): Promise<number> {
    const [row] = await this.db.manager().query<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM units WHERE parent_id = $1)
            + (SELECT count(*) FROM users WHERE unit_id = $1)
            + (SELECT count(*) FROM requests WHERE branch_id = $1 OR owner_unit_id = $1
                 OR assignee_unit_id = $1 OR town_id = $1) AS n`,
      [id],
    );
    return Number(row.n);
  }
}
