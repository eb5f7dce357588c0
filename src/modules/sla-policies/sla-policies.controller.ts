import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators';
import { PutSlaPolicyDto, SlaPolicyDto } from './dto/sla-policy.dto';
import { SlaPoliciesService } from './sla-policies.service';

@ApiTags('sla-policies')
@ApiBearerAuth()
@Controller('sla-policies')
export class SlaPoliciesController {
  constructor(private readonly policies: SlaPoliciesService) {}

  @Get()
  @ApiOperation({ summary: 'The time limits in force for every category × priority' })
  @ApiOkResponse({ type: [SlaPolicyDto] })
  list(): Promise<SlaPolicyDto[]> {
    return this.policies.list();
  }

  @Put(':category/:priority')
  @Roles('admin')
  @ApiOperation({ summary: 'Set a policy; it applies to requests created from now on' })
  @ApiOkResponse({ type: SlaPolicyDto })
  put(
    @Param('category') category: string,
    @Param('priority') priority: string,
    @Body() dto: PutSlaPolicyDto,
  ): Promise<SlaPolicyDto> {
    return this.policies.put(category, priority, dto);
  }
}
