import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/auth.decorators';
import { HealthDto } from './dto/health.dto';
import { HealthService } from './health.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Postgres, Redis and worker heartbeat; 503 when Postgres or Redis is down',
  })
  @ApiOkResponse({ type: HealthDto, description: 'ok, or degraded' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'down' })
  async get(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const result = await this.health.check();
    res.status(result.status === 'down' ? 503 : 200);
    return result;
  }
}
