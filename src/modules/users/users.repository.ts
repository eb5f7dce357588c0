import { Injectable } from '@nestjs/common';
import { type FindOptionsWhere, Not } from 'typeorm';
import type { LiveActor } from '../../common/auth/access-tokens';
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

  async findActiveActor(id: string): Promise<LiveActor | null> {
    const rows = await this.db.manager().query<(Actor & { tokensValidAfter: Date | null })[]>(
      `SELECT u.id, u.username, u.role, u.unit_id AS "unitId", n.path AS "unitPath",
              u.display_name AS "displayName", u.phone, u.tokens_valid_after AS "tokensValidAfter"
         FROM users u JOIN units n ON n.id = u.unit_id
        WHERE u.id = $1 AND u.active`,
      [id],
    );
    if (!rows[0]) return null;
    const { tokensValidAfter, ...actor } = rows[0];
    return { actor, tokensValidAfter: tokensValidAfter?.getTime() ?? null };
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

  /** The unit's active users other than residents, by name. */
  activeStaffOf(unitId: string): Promise<UserEntity[]> {
    return this.repo.find({
      where: { unitId, active: true, role: Not('resident') },
      order: { displayName: 'ASC', username: 'ASC' },
    });
  }

  async insert(user: NewUser): Promise<UserEntity> {
    const result = await this.repo.insert({ ...user, active: true });
    return (await this.findById(String(result.identifiers[0].id))) as UserEntity;
  }

  async update(id: string, changes: Partial<Omit<UserEntity, 'id' | 'createdAt'>>): Promise<void> {
    await this.repo.update({ id }, { ...changes, updatedAt: new Date() });
  }

  /**
   * Ends every session of the user: tokens issued before `at` are refused from now on and the
   * refresh tokens are revoked. Never moves the stamp backwards.
   */
  async revokeTokens(id: string, at: Date): Promise<void> {
    await this.db.manager().query(
      `UPDATE users SET tokens_valid_after = $2
        WHERE id = $1 AND (tokens_valid_after IS NULL OR tokens_valid_after < $2)`,
      [id, at],
    );
    await this.db
      .manager()
      .query(
        `UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
        [id, at],
      );
  }
}
