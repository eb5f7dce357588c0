import { Injectable } from '@nestjs/common';
import { hashPassword } from '../../common/auth/passwords';
import type { Actor, Role } from '../../common/auth/role';
import { badRequest, conflict, notFound } from '../../common/errors/domain-error';
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

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly units: UnitsService,
    private readonly db: DatabaseService,
  ) {}

  findActiveActor(id: string): Promise<Actor | null> {
    return this.users.findActiveActor(id);
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
    if (!user) throw notFound('USER.NOT_FOUND', 'No such user');
    return user;
  }

  async create(dto: CreateUserDto): Promise<UserEntity> {
    const passwordHash = await hashPassword(dto.password);
    return this.db.transaction(async () => {
      const unit = await this.units.findById(dto.unitId);
      if (!unit) throw badRequest('USER.INVALID_UNIT', 'No such unit');
      if (!UNIT_TYPES_FOR_ROLE[dto.role].includes(unit.type)) {
        throw badRequest(
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
        if (pgErrorCode(e) === '23505') throw conflict('USER.DUPLICATE', 'This username is taken');
        throw e;
      }
    });
  }

  async update(id: string, dto: UpdateUserDto): Promise<UserEntity> {
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    return this.db.transaction(async () => {
      await this.get(id);
      await this.users.update(id, {
        displayName: dto.displayName,
        phone: dto.phone,
        active: dto.active,
        passwordHash,
      });
      return this.get(id);
    });
  }
}
