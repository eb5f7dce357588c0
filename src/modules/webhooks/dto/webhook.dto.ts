import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length, MaxLength } from 'class-validator';
import type { DeadLetterRow, WebhookRow } from '../webhooks.repository';

export class CreateWebhookDto {
  @ApiProperty({ description: 'events of requests under this unit (or held by it) are sent' })
  @IsUUID()
  unitId: string;

  @ApiProperty({
    example: 'https://example.org/closed-loop/hook',
    format: 'uri',
    maxLength: 2000,
    description:
      'https (http only when the operator allows it); a host that is or resolves to an internal address (loopback, private, link-local, …) is refused unless the operator allow-lists it',
  })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({
    description:
      'HMAC-SHA256 key of the X-Closed-Loop-Signature header (signs `${X-Closed-Loop-Timestamp}.${body}`)',
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
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
  @ApiProperty() attempts: number;
  @ApiProperty({
    description:
      'why the last attempt failed, in a few generic words: `answered 503`, `timed out`, `refused`, `address not allowed`, `redirect not followed`, `not resolved`, …',
  })
  lastError: string;
  @ApiProperty() createdAt: string;

  static from(d: DeadLetterRow): DeadLetterDto {
    return { ...d, createdAt: d.createdAt.toISOString() };
  }
}
