import { ApiProperty } from '@nestjs/swagger';
import { BooleanQuery, PageQuery, PageSizeQuery } from '../../../common/http/query';

export class ListNotificationsQueryDto {
  @BooleanQuery('only unread ones')
  unread?: boolean;

  @PageQuery()
  page?: number;

  @PageSizeQuery(20, 100)
  pageSize?: number;
}

export class NotificationDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({
    enum: ['deadline_warning', 'deadline_breached', 'feedback_timeout', 'top_overdue'],
  })
  kind: string;
  @ApiProperty({ description: 'Chinese, or English with Accept-Language: en' }) title: string;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) readAt: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: NotificationDto, isArray: true }) items: NotificationDto[];
  @ApiProperty() total: number;
  @ApiProperty() unread: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class MarkedReadDto {
  @ApiProperty({ description: 'how many notifications were unread and are now read' })
  marked: number;
}
