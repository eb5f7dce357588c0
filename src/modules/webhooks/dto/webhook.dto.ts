import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, IsUUID, Length } from 'class-validator';
import type { DeadLetterRow, WebhookRow } from '../webhooks.repository';

export class CreateWebhookDto {
  @ApiProperty({ description: 'events of requests under this unit (or held by it) are sent' })
  @IsUUID()
  unitId: string;

  @ApiProperty({ example: 'https://example.org/closed-loop/hook' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  url: string;

  @ApiProperty({
    description: 'HMAC-SHA256 key of the X-Closed-Loop-Signature header',
    minLength: 16,
  })
  @IsString()
  @Length(16, 200)
  secret: string;
}

export class WebhookDto {
  @ApiProperty() id: string;
  @ApiProperty() unitId: string;
  @ApiProperty() url: string;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;

  static from(w: WebhookRow): WebhookDto {
    return {
      id: w.id,
      unitId: w.unitId,
      url: w.url,
      active: w.active,
      createdAt: w.createdAt.toISOString(),
    };
  }
}

export class DeadLetterDto {
  @ApiProperty() id: string;
  @ApiProperty() webhookId: string;
  @ApiProperty() deliveryId: string;
  @ApiProperty({ type: Object }) payload: Record<string, unknown>;
  @ApiProperty() attempts: number;
  @ApiProperty() lastError: string;
  @ApiProperty() createdAt: string;

  static from(d: DeadLetterRow): DeadLetterDto {
    return { ...d, createdAt: d.createdAt.toISOString() };
  }
}
