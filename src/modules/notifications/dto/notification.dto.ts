import { MESSAGE_KINDS, type MessageKind } from '../../../../workflows';
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
  @ApiProperty({ enum: MESSAGE_KINDS, description: 'what happened (docs/transitions.md)' })
  kind: MessageKind;
  @ApiProperty({ description: 'Chinese, or English with Accept-Language: en' }) title: string;
  @ApiProperty() body: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'for the resident, on a resolution: the one-tap link to confirm or dispute it',
  })
  feedbackUrl: string | null;
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
