import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '../../common/errors/domain-error';
import { DatabaseService, pgErrorCode } from '../../database/database.service';
import type { CategoryEntity } from './categories.entity';
import { CategoriesRepository } from './categories.repository';
import type { CreateCategoryDto, UpdateCategoryDto } from './dto/category.dto';

const CACHE_MS = 10_000;

@Injectable()
export class CategoriesService {
  private readonly cache = new Map<boolean, { rows: Promise<CategoryEntity[]>; until: number }>();

  constructor(
    private readonly categories: CategoriesRepository,
    private readonly db: DatabaseService,
  ) {}

  /** Categories change rarely and every request view names one: kept for a few seconds. */
  list(includeInactive = false): Promise<CategoryEntity[]> {
    const now = Date.now();
    const cached = this.cache.get(includeInactive);
    if (cached && cached.until > now) return cached.rows;
    const rows = this.categories.list(includeInactive);
    this.cache.set(includeInactive, { rows, until: now + CACHE_MS });
    rows.catch(() => this.cache.delete(includeInactive));
    return rows;
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
    if (!category) throw notFound('CATEGORY.NOT_FOUND', 'No such category');
    return category;
  }

  async create(dto: CreateCategoryDto): Promise<CategoryEntity> {
    this.cache.clear();
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
      this.cache.clear();
      return this.get(id);
    });
  }
}
