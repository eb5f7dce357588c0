import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '../../common/errors/domain-error';
import { DatabaseService, pgErrorCode } from '../../database/database.service';
import type { CategoryEntity } from './categories.entity';
import { CategoriesRepository } from './categories.repository';
import type { CreateCategoryDto, UpdateCategoryDto } from './dto/category.dto';

@Injectable()
export class CategoriesService {
  constructor(
    private readonly categories: CategoriesRepository,
    private readonly db: DatabaseService,
  ) {}

  list(includeInactive = false): Promise<CategoryEntity[]> {
    return this.categories.list(includeInactive);
  }

  findById(id: string): Promise<CategoryEntity | null> {
    return this.categories.findById(id);
  }

  findByCode(code: string): Promise<CategoryEntity | null> {
    return this.categories.findByCode(code);
  }

  async get(id: string): Promise<CategoryEntity> {
    const category = await this.categories.findById(id);
    if (!category) throw notFound('CATEGORY.NOT_FOUND', 'No such category');
    return category;
  }

  async create(dto: CreateCategoryDto): Promise<CategoryEntity> {
    try {
      return await this.categories.insert(dto);
    } catch (e) {
      if (pgErrorCode(e) === '23505') throw conflict('CATEGORY.DUPLICATE', 'This code is taken');
      throw e;
    }
  }

  async update(id: string, dto: UpdateCategoryDto): Promise<CategoryEntity> {
    return this.db.transaction(async () => {
      await this.get(id);
      await this.categories.update(id, dto);
      return this.get(id);
    });
  }
}
