import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/role';
import { Expiring } from '../../common/cache/expiring';
import { DatabaseService, pgErrorCode } from '../../database/database.service';
import { domainError } from '../../common/errors/domain-error';
import { toWgs84 } from '../../common/geo/coordinates';
import type { AreaDto } from '../../common/geo/point.dto';
import type { CreateUnitDto, UpdateUnitDto } from './dto/unit.dto';
import type { UnitEntity, UnitType } from './units.entity';
import { type UnitArea, UnitsRepository } from './units.repository';

/** An area as stored: its centre in WGS-84. */
function areaOf(dto: AreaDto): UnitArea {
  return { ...toWgs84(dto, dto.coordinateSystem), radiusM: dto.radiusM };
}

const areaNotAllowed = () => domainError('UNIT.AREA_NOT_ALLOWED', 'Only towns have an area');

/** What each type of unit hangs under: county → town → branches and departments. */
const PARENT_TYPE: Record<UnitType, UnitType | null> = {
  county: null,
  town: 'county',
  branch: 'town',
  department: 'town',
};

/**
 * Every request view and submission names several units, and units change rarely (a rename): the
 * whole tree is kept for a few seconds, dropped at once when this process changes it. A unit that
 * is not there (just created elsewhere) is read from the database.
 */
const CACHE_MS = 10_000;

@Injectable()
export class UnitsService {
  private readonly tree = new Expiring(CACHE_MS, () =>
    this.units.list({}).then((all) => new Map(all.map((u) => [u.id, u]))),
  );

  constructor(
    private readonly units: UnitsRepository,
    private readonly db: DatabaseService,
  ) {}

  /** Runs a change of the tree in a transaction; the cached tree is dropped around it. */
  private changing<T>(work: () => Promise<T>): Promise<T> {
    return this.tree.changing(() => this.db.transaction(work));
  }

  list(filter: { type?: UnitType; parentId?: string }): Promise<UnitEntity[]> {
    return this.units.list(filter);
  }

  async get(id: string): Promise<UnitEntity> {
    const unit = await this.units.findById(id);
    if (!unit) throw domainError('UNIT.NOT_FOUND', 'No such unit');
    return unit;
  }

  /**
   * The part of the tree a caller sees, as a path prefix (null: all of it). Admins see everything;
   * a supervisor the subtree they supervise; everyone else their own town (its branches and
   * departments), which is what they submit to, return to or dispatch to.
   */
  private async viewOf(actor: Actor): Promise<string | null> {
    if (actor.role === 'admin') return null;
    if (actor.role === 'supervisor') return actor.unitPath;
    const own = await this.findById(actor.unitId);
    const town = own && (await this.townOf(own));
    return town?.path ?? actor.unitPath;
  }

  /** `list` within the caller's view. */
  async listFor(
    actor: Actor,
    filter: { type?: UnitType; parentId?: string },
  ): Promise<UnitEntity[]> {
    return this.units.list({ ...filter, underPath: (await this.viewOf(actor)) ?? undefined });
  }

  /** `get` within the caller's view: a unit outside it answers the same 404 as an unknown one. */
  async getFor(actor: Actor, id: string): Promise<UnitEntity> {
    const [unit, view] = await Promise.all([this.units.findById(id), this.viewOf(actor)]);
    if (!unit || (view !== null && !unit.path.startsWith(view))) {
      throw domainError('UNIT.NOT_FOUND', 'No such unit');
    }
    return unit;
  }

  async findById(id: string): Promise<UnitEntity | null> {
    return (await this.tree.get()).get(id) ?? this.units.findById(id);
  }

  async findByIds(ids: string[]): Promise<UnitEntity[]> {
    const byId = await this.tree.get();
    const found = ids.map((id) => byId.get(id)).filter((u) => u !== undefined);
    return found.length === ids.length ? found : this.units.findByIds(ids);
  }

  /** From the unit itself up to the root. */
  async ancestors(unit: UnitEntity): Promise<UnitEntity[]> {
    const ids = unit.path.split('/').filter(Boolean).reverse();
    const chain = await this.findByIds(ids);
    const byId = new Map(chain.map((u) => [u.id, u]));
    return ids.map((id) => byId.get(id)).filter((u) => u !== undefined);
  }

  /** The town a branch or department belongs to (or the town itself). */
  async townOf(unit: UnitEntity): Promise<UnitEntity | null> {
    if (unit.type === 'town') return unit;
    const chain = await this.ancestors(unit);
    return chain.find((u) => u.type === 'town') ?? null;
  }

  async create(dto: CreateUnitDto): Promise<UnitEntity> {
    return this.changing(async () => {
      const parentType = PARENT_TYPE[dto.type];
      let parent: UnitEntity | null = null;
      if (parentType === null) {
        if (dto.parentId) throw domainError('UNIT.INVALID_PARENT', 'A county has no parent');
      } else {
        if (!dto.parentId) throw domainError('UNIT.INVALID_PARENT', `A ${dto.type} needs a parent`);
        parent = await this.units.findById(dto.parentId);
        if (!parent || parent.type !== parentType) {
          throw domainError('UNIT.INVALID_PARENT', `A ${dto.type} must hang under a ${parentType}`);
        }
      }
      if (dto.type === 'town' && !dto.refPrefix) {
        throw domainError(
          'UNIT.REF_PREFIX_REQUIRED',
          'A town needs a refPrefix for reference numbers',
        );
      }
      if (dto.type !== 'town' && dto.refPrefix) {
        throw domainError('UNIT.REF_PREFIX_NOT_ALLOWED', 'Only towns have a refPrefix');
      }
      if (dto.type !== 'town' && dto.area) throw areaNotAllowed();
      try {
        return await this.units.insert({
          id: randomUUID(),
          code: dto.code,
          name: dto.name,
          type: dto.type,
          parent,
          refPrefix: dto.refPrefix ?? null,
          area: dto.area ? areaOf(dto.area) : null,
        });
      } catch (e) {
        if (pgErrorCode(e) === '23505') {
          throw domainError('UNIT.DUPLICATE', 'A unit with this code or refPrefix exists');
        }
        throw e;
      }
    });
  }

  async update(id: string, dto: UpdateUnitDto): Promise<UnitEntity> {
    return this.changing(async () => {
      const unit = await this.get(id);
      if (dto.refPrefix !== undefined && unit.type !== 'town') {
        throw domainError('UNIT.REF_PREFIX_NOT_ALLOWED', 'Only towns have a refPrefix');
      }
      if (dto.contactLeaderId !== undefined && unit.type !== 'branch') {
        throw domainError('UNIT.INVALID_CONTACT_LEADER', 'Only a branch has a contact leader');
      }
      if (dto.contactLeaderId) await this.assertCanLead(dto.contactLeaderId, unit);
      if (dto.area && unit.type !== 'town') throw areaNotAllowed();
      try {
        await this.units.update(id, {
          name: dto.name,
          refPrefix: dto.refPrefix,
          contactLeaderId: dto.contactLeaderId,
          area: dto.area === undefined ? undefined : dto.area && areaOf(dto.area),
        });
      } catch (e) {
        if (pgErrorCode(e) === '23505')
          throw domainError('UNIT.DUPLICATE', 'This refPrefix is taken');
        throw e;
      }
      return this.get(id);
    });
  }

  /**
   * A contact leader (包乡走村) is an active user of a town or county above the branch: they read
   * its requests and hear of its escalations and breaches, so they must stand over it.
   */
  private async assertCanLead(userId: string, branch: UnitEntity): Promise<void> {
    const refuse = (why: string) => domainError('UNIT.INVALID_CONTACT_LEADER', why);
    const user = await this.units.leaderCandidate(userId);
    if (!user) throw refuse('No such user');
    if (!user.active) throw refuse('The user is not active');
    if (
      (user.unitType !== 'town' && user.unitType !== 'county') ||
      !branch.path.startsWith(user.unitPath)
    ) {
      throw refuse('A contact leader belongs to the town or the county above the branch');
    }
  }

  /**
   * The branches `actor` is the contact leader of and still stands over (their unit is above it):
   * their requests are in the actor's view.
   */
  async ledBy(actor: Pick<Actor, 'id' | 'unitPath'>): Promise<string[]> {
    const led: string[] = [];
    for (const u of (await this.tree.get()).values()) {
      if (u.contactLeaderId === actor.id && u.path.startsWith(actor.unitPath)) led.push(u.id);
    }
    return led;
  }

  /**
   * A user just deactivated or moved stops leading the branches they no longer stand over (all
   * of them when deactivated or no longer at a town or county). Call it after the user's change,
   * in its transaction.
   */
  async releaseLeader(userId: string): Promise<void> {
    await this.changing(() => this.units.releaseLeader(userId));
  }

  async remove(id: string): Promise<void> {
    await this.changing(async () => {
      await this.get(id);
      if ((await this.units.usage(id)) > 0) {
        throw domainError('UNIT.IN_USE', 'The unit still has child units, users or requests');
      }
      await this.units.delete(id);
    });
  }
}
