import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../common/auth/auth.decorators';
import { domainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { metricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Not a user's endpoint: METRICS_TOKEN or a loopback caller (req.ip follows a local proxy). */
  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Prometheus metrics of this process',
    description:
      'For the scraper, not for users: the METRICS_TOKEN as a bearer token, or a loopback caller; otherwise 404.',
  })
  @ApiOkResponse({
    description: 'the Prometheus text format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  render(@Req() req: Request): Promise<string> {
    const access = metricsAccess(this.config.metricsToken, req.ip, req.headers.authorization);
    if (access === 'hidden') throw domainError('HTTP.NOT_FOUND', 'No such route');
    if (access === 'unauthorized') {
      throw req.headers.authorization
        ? domainError('AUTH.INVALID_TOKEN', 'That is not the metrics token')
        : domainError('AUTH.UNAUTHENTICATED', 'Send the metrics token as a bearer token');
    }
    return this.metrics.render();
  }
}
