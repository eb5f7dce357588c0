import { ApiProperty } from '@nestjs/swagger';
import { ATTACHMENT_ROLES, type AttachmentRole } from '../../../../workflows';
import type { AttachmentEntity } from '../attachments.entity';

export class AttachmentDto {
  @ApiProperty({ format: 'uuid', description: 'name it in attachmentIds to attach the photo' })
  id: string;
  @ApiProperty({
    enum: ['image/jpeg', 'image/png', 'image/webp'],
    description: 'what is served (a HEIC photo is kept as JPEG)',
  })
  mediaType: string;
  @ApiProperty({ description: 'bytes of the photo as kept (without its metadata)' })
  byteSize: number;
  @ApiProperty() width: number;
  @ApiProperty() height: number;
  @ApiProperty({
    enum: ATTACHMENT_ROLES,
    nullable: true,
    type: String,
    description:
      'before: sent with the request; after: proof of the work, sent with RESOLVE; comment: with a comment; null until attached',
  })
  role: AttachmentRole | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'the timeline entry (seq) it came with; null until attached',
  })
  eventSeq: number | null;
  @ApiProperty() uploadedAt: string;
  @ApiProperty({ example: '/api/v1/attachments/8a1e…/content' })
  contentUrl: string;
  @ApiProperty({
    example: '/api/v1/attachments/8a1e…/thumbnail',
    description: 'a JPEG of at most 320 px',
  })
  thumbnailUrl: string;

  static from(a: AttachmentEntity): AttachmentDto {
    return {
      id: a.id,
      mediaType: a.mediaType,
      byteSize: a.byteSize,
      width: a.width,
      height: a.height,
      role: a.role,
      eventSeq: a.eventSeq,
      uploadedAt: a.createdAt.toISOString(),
      contentUrl: `/api/v1/attachments/${a.id}/content`,
      thumbnailUrl: `/api/v1/attachments/${a.id}/thumbnail`,
    };
  }
}
