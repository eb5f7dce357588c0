import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators';
import { CategoriesService } from './categories.service';
import {
  CategoryDto,
  CreateCategoryDto,
  ListCategoriesQueryDto,
  UpdateCategoryDto,
} from './dto/category.dto';

@ApiTags('categories')
@ApiBearerAuth()
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @ApiOkResponse({ type: CategoryDto, isArray: true })
  async list(@Query() query: ListCategoriesQueryDto): Promise<CategoryDto[]> {
    return (await this.categories.list(query.all ?? false)).map((c) => CategoryDto.from(c));
  }

  @Get(':id')
  @ApiOkResponse({ type: CategoryDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<CategoryDto> {
    return CategoryDto.from(await this.categories.get(id));
  }

  @Post()
  @Roles('admin')
  async create(@Body() dto: CreateCategoryDto): Promise<CategoryDto> {
    return CategoryDto.from(await this.categories.create(dto));
  }

  @Patch(':id')
  @Roles('admin')
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCategoryDto,
  ): Promise<CategoryDto> {
    return CategoryDto.from(await this.categories.update(id, dto));
  }
}
