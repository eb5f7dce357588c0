import { Injectable } from '@nestjs/common';
import type { LiveActor } from '../../common/auth/access-tokens';
import { PasswordHasher } from '../../common/auth/password-hasher';
import { passwordWeakness } from '../../common/auth/password-policy';
import type { Actor, Role } from '../../common/auth/role';
import { maskPhone } from '../../common/privacy/mask-phone';
import { domainError } from '../../common/errors/domain-error';
import { DatabaseService, pgErrorCode } from '../../database/database.service';
import type { UnitType } from '../units/units.entity';
import { UnitsService } from '../units/units.service';
import type { UnitMemberDto } from './dto/unit-member.dto';
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
 * Every call checks its caller's user row, so a deactivated account or a revoked token stops at
 * once. A found row is kept a few seconds per user: dropped at once when this process changes the
 * user, and never used for a token issued after it was read (a new sign-in sees the row as it is).
 * A change made by another process (another API instance) shows here within ACTOR_CACHE_MS.
 */
const ACTOR_CACHE_MS = 5_000;
const ACTOR_CACHE_SIZE = 10_000;

@Injectable()
export class UsersService {
  private readonly actors = new Map<string, { live: LiveActor; readAt: number }>();

  constructor(
    private readonly users: UsersRepository,
    private readonly units: UnitsService,
    private readonly db: DatabaseService,
    private readonly hasher: PasswordHasher,
  ) {}

  /** `issuedBy`: when the caller's token was issued at the latest (ms). */
  async findActiveActor(id: string, issuedBy: number): Promise<LiveActor | null> {
    const now = Date.now();
    const hit = this.actors.get(id);
    if (hit && hit.readAt > now - ACTOR_CACHE_MS && hit.readAt >= issuedBy) return hit.live;
    const live = await this.users.findActiveActor(id);
    if (!live) {
      this.actors.delete(id);
      return null;
    }
    if (this.actors.size >= ACTOR_CACHE_SIZE) this.actors.clear();
    this.actors.set(id, { live, readAt: now });
    return live;
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

  /**
   * The active staff of a unit in the caller's view (404 UNIT.NOT_FOUND outside it). A staff
   * phone is a work contact, but a personal number all the same: shown in full to those who
   * oversee the staff (supervisors, admins), masked to dispatchers.
   */
  async membersOf(actor: Actor, unitId: string): Promise<UnitMemberDto[]> {
    await this.units.getFor(actor, unitId);
    const fullPhone = actor.role === 'supervisor' || actor.role === 'admin';
    return (await this.users.activeStaffOf(unitId)).map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      phone: fullPhone ? u.phone : maskPhone(u.phone),
    }));
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw domainError('USER.NOT_FOUND', 'No such user');
    return user;
  }

  async create(dto: CreateUserDto): Promise<UserEntity> {
    assertStrong(dto.password, dto.username);
    const passwordHash = await this.hasher.hash(dto.password);
    return this.db.transaction(async () => {
      await this.assertUnitFits(dto.role, dto.unitId);
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

  /**
   * A password, role or unit change and a deactivation end every session of the user: their
   * tokens are refused from the next call on, in this process at once. A deactivated contact
   * leader stops being one.
   */
  async update(id: string, dto: UpdateUserDto): Promise<UserEntity> {
    const before = await this.get(id);
    if (dto.password !== undefined) assertStrong(dto.password, before.username);
    const passwordHash =
      dto.password !== undefined ? await this.hasher.hash(dto.password) : undefined;
    const { user } = await this.change(id, async (current) => {
      const role = dto.role ?? current.role;
      const unitId = dto.unitId ?? current.unitId;
      if (role !== current.role || unitId !== current.unitId) {
        await this.assertUnitFits(role, unitId);
      }
      await this.users.update(id, {
        displayName: dto.displayName,
        phone: dto.phone,
        active: dto.active,
        passwordHash,
        role: dto.role,
        unitId: dto.unitId,
      });
      // After the write, which it reads: a contact leader deactivated or moved away keeps only
      // the branches their new unit still stands over.
      if (dto.active === false || unitId !== current.unitId) await this.units.releaseLeader(id);
      return (
        passwordHash !== undefined ||
        role !== current.role ||
        unitId !== current.unitId ||
        dto.active === false
      );
    });
    return user;
  }

  /**
   * A user's own new password (the policy applies); ends every session. Returns when the
   * sessions ended (ms): tokens for the new session must be issued no earlier.
   */
  async changePassword(id: string, password: string): Promise<number> {
    const user = await this.get(id);
    assertStrong(password, user.username);
    const passwordHash = await this.hasher.hash(password);
    const { revokedAt } = await this.change(id, async () => {
      await this.users.update(id, { passwordHash });
      return true;
    });
    return revokedAt ?? Date.now();
  }

  /**
   * Runs `apply` on the current row in a transaction; when it answers true the user's tokens are
   * revoked in the same transaction and once more after the commit, so a sign-in that read the
   * old row while the change was uncommitted is refused too. The actor cache is dropped before
   * and after: a read while the change is uncommitted still sees the old row.
   */
  private async change(
    id: string,
    apply: (current: UserEntity) => Promise<boolean>,
  ): Promise<{ user: UserEntity; revokedAt: number | null }> {
    this.actors.delete(id);
    try {
      const { user, revoke } = await this.db.transaction(async () => {
        const revoke = await apply(await this.get(id));
        if (revoke) await this.users.revokeTokens(id, new Date());
        return { user: await this.get(id), revoke };
      });
      if (!revoke) return { user, revokedAt: null };
      const at = new Date();
      await this.users.revokeTokens(id, at);
      return { user, revokedAt: at.getTime() };
    } finally {
      this.actors.delete(id);
    }
  }

  private async assertUnitFits(role: Role, unitId: string): Promise<void> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw domainError('USER.INVALID_UNIT', 'No such unit');
    if (!UNIT_TYPES_FOR_ROLE[role].includes(unit.type)) {
      throw domainError(
        'USER.INVALID_UNIT',
        `A ${role} belongs to a ${UNIT_TYPES_FOR_ROLE[role].join(' or ')}, not a ${unit.type}`,
      );
    }
  }
}

/** 400 USER.WEAK_PASSWORD naming the rule a password set through the API breaks. */
function assertStrong(password: string, username: string): void {
  const weakness = passwordWeakness(password, username);
  if (weakness) throw domainError('USER.WEAK_PASSWORD', weakness);
}
