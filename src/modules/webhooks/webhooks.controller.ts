import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators';
import { CreateWebhookDto, DeadLetterDto, WebhookDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOkResponse({ type: [WebhookDto] })
  async list(): Promise<WebhookDto[]> {
    return (await this.webhooks.list()).map((w) => WebhookDto.from(w));
  }

  @Post()
  @ApiOperation({
    summary: 'Send signed deadline events of a unit’s requests to a URL',
    description:
      'The URL must be https (http only when the operator sets WEBHOOK_ALLOW_HTTP=true) and its host must be public: a host that is or resolves to a loopback, private, link-local, CGNAT, multicast or other non-global address answers 400 WEBHOOK.URL_NOT_ALLOWED, unless the operator lists it in WEBHOOK_ALLOW_HOSTS. Each delivery checks again and connects only to the address it checked; redirects are not followed.',
  })
  @ApiCreatedResponse({ type: WebhookDto })
  async create(@Body() dto: CreateWebhookDto): Promise<WebhookDto> {
    return WebhookDto.from(await this.webhooks.create(dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Deliveries that failed every attempt' })
  @ApiOkResponse({ type: [DeadLetterDto] })
  async deadLetters(): Promise<DeadLetterDto[]> {
    return (await this.webhooks.deadLetters()).map((d) => DeadLetterDto.from(d));
  }
}
