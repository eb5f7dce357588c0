import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { UnitMemberDto } from './dto/unit-member.dto';
import { UsersService } from './users.service';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitMembersController {
  constructor(private readonly users: UsersService) {}

  @Get(':id/members')
  @Roles('dispatcher', 'supervisor', 'admin')
  @ApiOperation({
    summary: 'The active staff of a unit: whom to dispatch a request to',
    description:
      'Dispatchers: units of their town; supervisors: their subtree; admins: all. A unit outside ' +
      'that answers 404 UNIT.NOT_FOUND. Residents are not listed. Phones are shown in full to ' +
      'supervisors and admins, masked to dispatchers.',
  })
  @ApiOkResponse({ type: UnitMemberDto, isArray: true })
  members(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<UnitMemberDto[]> {
    return this.users.membersOf(actor, id);
  }
}
