import { Injectable } from '@nestjs/common';
import type { FindOptionsWhere } from 'typeorm';
import type { Actor, Role } from '../../common/auth/role';
import { DatabaseService } from '../../database/database.service';
import { UserEntity } from './users.entity';

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  unitId: string;
  phone: string | null;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly db: DatabaseService) {}

  private get repo() {
    return this.db.manager().getRepository(UserEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo.createQueryBuilder('u').where('u.id = ANY(:ids)', { ids }).getMany();
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ username });
  }

  async findActiveActor(id: string): Promise<Actor | null> {
    const rows = await this.db.manager().query<Actor[]>(
      `SELECT u.id, u.username, u.role, u.unit_id AS "unitId", n.path AS "unitPath",
              u.display_name AS "displayName", u.phone
         FROM users u JOIN units n ON n.id = u.unit_id
        WHERE u.id = $1 AND u.active`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A registered resident of the branch with this phone, to link a request taken on paper. */
  async findResidentByPhone(branchId: string, phone: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ unitId: branchId, phone, role: 'resident', active: true });
  }

  list(filter: { role?: Role; unitId?: string }): Promise<UserEntity[]> {
    // TypeORM refuses `undefined` in a where clause, and an absent query parameter arrives as one.
    const where: FindOptionsWhere<UserEntity> = {};
    if (filter.role) where.role = filter.role;
    if (filter.unitId) where.unitId = filter.unitId;
    return this.repo.find({ where, order: { username: 'ASC' } });
  }

  async insert(user: NewUser): Promise<UserEntity> {
    const result = await this.repo.insert({ ...user, active: true });
    return (await this.findById(String(result.identifiers[0].id))) as UserEntity;
  }

  async update(id: string, changes: Partial<Omit<UserEntity, 'id' | 'createdAt'>>): Promise<void> {
    await this.repo.update({ id }, { ...changes, updatedAt: new Date() });
  }
}
