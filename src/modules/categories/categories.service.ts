import { Injectable } from '@nestjs/common';
import { Expiring } from '../../common/cache/expiring';
import { domainError } from '../../common/errors/domain-error';
import { DatabaseService, pgErrorCode } from '../../database/database.service';
import type { CategoryEntity } from './categories.entity';
import { CategoriesRepository } from './categories.repository';
import type { CreateCategoryDto, UpdateCategoryDto } from './dto/category.dto';

const CACHE_MS = 10_000;

@Injectable()
export class CategoriesService {
  /** Categories change rarely and every request view names one: all of them, by code. */
  private readonly all = new Expiring(CACHE_MS, () => this.categories.list());

  constructor(
    private readonly categories: CategoriesRepository,
    private readonly db: DatabaseService,
  ) {}

  async list(includeInactive = false): Promise<CategoryEntity[]> {
    const all = await this.all.get();
    return includeInactive ? all : all.filter((c) => c.active);
  }

  findById(id: string): Promise<CategoryEntity | null> {
    return this.categories.findById(id);
  }

  /** From the cached list; one created elsewhere in the last few seconds is read from the database. */
  async findByCode(code: string): Promise<CategoryEntity | null> {
    const cached = (await this.list(true)).find((c) => c.code === code);
    return cached ?? this.categories.findByCode(code);
  }

  async get(id: string): Promise<CategoryEntity> {
    const category = await this.categories.findById(id);
    if (!category) throw domainError('CATEGORY.NOT_FOUND', 'No such category');
    return category;
  }

  create(dto: CreateCategoryDto): Promise<CategoryEntity> {
    return this.all.changing(async () => {
      try {
        return await this.categories.insert(dto);
      } catch (e) {
        if (pgErrorCode(e) === '23505')
          throw domainError('CATEGORY.DUPLICATE', 'This code is taken');
        throw e;
      }
    });
  }

  update(id: string, dto: UpdateCategoryDto): Promise<CategoryEntity> {
    return this.all.changing(() =>
      this.db.transaction(async () => {
        await this.get(id);
        await this.categories.update(id, dto);
        return this.get(id);
      }),
    );
  }
}
