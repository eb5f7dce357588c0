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
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { CreateUnitDto, ListUnitsQueryDto, UnitDto, UpdateUnitDto } from './dto/unit.dto';
import { UnitsService } from './units.service';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @ApiOperation({
    summary: 'The units the caller sees, parents first',
    description:
      'Admins: the whole tree. Supervisors: the subtree of their unit. Everyone else: their own town, its branches and departments.',
  })
  @ApiOkResponse({ type: [UnitDto] })
  async list(@CurrentActor() actor: Actor, @Query() query: ListUnitsQueryDto): Promise<UnitDto[]> {
    return (await this.units.listFor(actor, query)).map((u) => UnitDto.from(u));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One unit; outside the caller’s view it answers 404 UNIT.NOT_FOUND' })
  @ApiOkResponse({ type: UnitDto })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<UnitDto> {
    return UnitDto.from(await this.units.getFor(actor, id));
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: UnitDto })
  async create(@Body() dto: CreateUnitDto): Promise<UnitDto> {
    return UnitDto.from(await this.units.create(dto));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UnitDto })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
  ): Promise<UnitDto> {
    return UnitDto.from(await this.units.update(id, dto));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The unit is deleted' })
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.units.remove(id);
  }
}
