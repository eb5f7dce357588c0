import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { ListNotificationsQueryDto, NotificationPageDto } from './dto/notification.dto';
import { type Language, NotificationsService } from './notifications.service';

function language(header: string | undefined): Language {
  return header && /^en\b/i.test(header.trim()) ? 'en' : 'zh';
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPageDto })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListNotificationsQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): Promise<NotificationPageDto> {
    return this.notifications.inbox(
      actor.id,
      query.unread ?? false,
      query.page ?? 1,
      query.pageSize ?? 20,
      language(acceptLanguage),
    );
  }

  @Post(':id/read')
  @HttpCode(204)
  async markRead(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    if (!(await this.notifications.exists(actor.id, id))) {
      throw domainError('NOTIFICATION.NOT_FOUND', 'No such notification');
    }
    await this.notifications.markRead(actor.id, id);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['marked'],
      properties: { marked: { type: 'integer', description: 'how many were unread' } },
    },
  })
  async markAllRead(@CurrentActor() actor: Actor): Promise<{ marked: number }> {
    return { marked: await this.notifications.markRead(actor.id, null) };
  }
}
