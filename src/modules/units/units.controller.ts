import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators';
import { CreateUnitDto, ListUnitsQueryDto, UnitDto, UpdateUnitDto } from './dto/unit.dto';
import { UnitsService } from './units.service';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @ApiOperation({ summary: 'The unit tree, parents first' })
  @ApiOkResponse({ type: UnitDto, isArray: true })
  async list(@Query() query: ListUnitsQueryDto): Promise<UnitDto[]> {
    return (await this.units.list(query)).map((u) => UnitDto.from(u));
  }

  @Get(':id')
  @ApiOkResponse({ type: UnitDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<UnitDto> {
    return UnitDto.from(await this.units.get(id));
  }

  @Post()
  @Roles('admin')
  async create(@Body() dto: CreateUnitDto): Promise<UnitDto> {
    return UnitDto.from(await this.units.create(dto));
  }

  @Patch(':id')
  @Roles('admin')
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
  ): Promise<UnitDto> {
    return UnitDto.from(await this.units.update(id, dto));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.units.remove(id);
  }
}
