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
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  async list(): Promise<WebhookDto[]> {
    return (await this.webhooks.list()).map((w) => WebhookDto.from(w));
  }

  @Post()
  @ApiOperation({ summary: 'Send signed deadline events of a unit’s requests to a URL' })
  async create(@Body() dto: CreateWebhookDto): Promise<WebhookDto> {
    return WebhookDto.from(await this.webhooks.create(dto));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Deliveries that failed every attempt' })
  async deadLetters(): Promise<DeadLetterDto[]> {
    return (await this.webhooks.deadLetters()).map((d) => DeadLetterDto.from(d));
  }
}
