import { Injectable } from '@nestjs/common';
import { hashPassword } from '../../common/auth/passwords';
import type { Actor, Role } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { DatabaseService, pgErrorCode } from '../../database/database.service';
import type { UnitType } from '../units/units.entity';
import { UnitsService } from '../units/units.service';
import type { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import type { UserEntity } from './users.entity';
import { UsersRepository } from './users.repository';

/** The kinds of unit each role belongs to (DESIGN section 2). */
const UNIT_TYPES_FOR_ROLE: Record<Role, UnitType[]> = {
  resident: ['branch'],
  secretary: ['branch'],
  dispatcher: ['town'],
  assignee: ['department', 'branch', 'town'],
  supervisor: ['town', 'county'],
  admin: ['county', 'town', 'branch', 'department'],
};

/**
 * Every call checks its caller's user row, so a deactivated account stops at once. A found row is
 * kept a few seconds per user: dropped at once when this process changes the user, and never used
 * for a token issued after it was read (a new sign-in sees the row as it is). A change made by
 * another process (another API instance) shows here within ACTOR_CACHE_MS.
 */
const ACTOR_CACHE_MS = 5_000;
const ACTOR_CACHE_SIZE = 10_000;

@Injectable()
export class UsersService {
  private readonly actors = new Map<string, { actor: Actor; readAt: number }>();

  constructor(
    private readonly users: UsersRepository,
    private readonly units: UnitsService,
    private readonly db: DatabaseService,
  ) {}

  /** `issuedAt`: when the caller's token was issued at the latest (ms). */
  async findActiveActor(id: string, issuedAt: number): Promise<Actor | null> {
    const now = Date.now();
    const hit = this.actors.get(id);
    if (hit && hit.readAt > now - ACTOR_CACHE_MS && hit.readAt >= issuedAt) return hit.actor;
    const actor = await this.users.findActiveActor(id);
    if (!actor) {
      this.actors.delete(id);
      return null;
    }
    if (this.actors.size >= ACTOR_CACHE_SIZE) this.actors.clear();
    this.actors.set(id, { actor, readAt: now });
    return actor;
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findByUsername(username);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    return this.users.findByIds(ids);
  }

  findResidentByPhone(branchId: string, phone: string): Promise<UserEntity | null> {
    return this.users.findResidentByPhone(branchId, phone);
  }

  list(filter: { role?: Role; unitId?: string }): Promise<UserEntity[]> {
    return this.users.list(filter);
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw domainError('USER.NOT_FOUND', 'No such user');
    return user;
  }

  async create(dto: CreateUserDto): Promise<UserEntity> {
    const passwordHash = await hashPassword(dto.password);
    return this.db.transaction(async () => {
      const unit = await this.units.findById(dto.unitId);
      if (!unit) throw domainError('USER.INVALID_UNIT', 'No such unit');
      if (!UNIT_TYPES_FOR_ROLE[dto.role].includes(unit.type)) {
        throw domainError(
          'USER.INVALID_UNIT',
          `A ${dto.role} belongs to a ${UNIT_TYPES_FOR_ROLE[dto.role].join(' or ')}, not a ${unit.type}`,
        );
      }
      try {
        return await this.users.insert({
          username: dto.username,
          displayName: dto.displayName,
          passwordHash,
          role: dto.role,
          unitId: dto.unitId,
          phone: dto.phone ?? null,
        });
      } catch (e) {
        if (pgErrorCode(e) === '23505')
          throw domainError('USER.DUPLICATE', 'This username is taken');
        throw e;
      }
    });
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserEntity> {
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    // Dropped before and after: a read while the change is uncommitted still sees the old row.
    this.actors.delete(id);
    try {
      return await this.db.transaction(async () => {
        await this.get(id);
        await this.users.update(id, {
          displayName: dto.displayName,
          phone: dto.phone,
          active: dto.active,
          passwordHash,
        });
        return this.get(id);
      });
    } finally {
      this.actors.delete(id);
    }
  }
}
