import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';
import { CategoryEntity } from './categories.entity';

@Injectable()
export class CategoriesRepository {
  constructor(private readonly db: DatabaseService) {}

  private get repo() {
    return this.db.manager().getRepository(CategoryEntity);
  }

  /** Every category, inactive ones too, by code. */
  list(): Promise<CategoryEntity[]> {
    return this.repo.find({ order: { code: 'ASC' } });
  }

  findById(id: string): Promise<CategoryEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByCode(code: string): Promise<CategoryEntity | null> {
    return this.repo.findOneBy({ code });
  }

  async insert(c: {
    code: string;
    name: string;
    nameEn: string;
    evidenceRequired?: boolean;
  }): Promise<CategoryEntity> {
    const result = await this.repo.insert({
      ...c,
      evidenceRequired: c.evidenceRequired ?? false,
      active: true,
    });
    return (await this.findById(String(result.identifiers[0].id))) as CategoryEntity;
  }

  async update(
    id: string,
    changes: { name?: string; nameEn?: string; active?: boolean; evidenceRequired?: boolean },
  ): Promise<void> {
    await this.repo.update({ id }, { ...changes, updatedAt: new Date() });
  }
}
