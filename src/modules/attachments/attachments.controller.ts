import {
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../../common/auth/auth.decorators';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { AttachmentsService, type Rendition } from './attachments.service';
import { AttachmentDto } from './dto/attachment.dto';
import { UPLOAD_FIELD, UploadInterceptor } from './upload.interceptor';

const IMAGE = { schema: { type: 'string' as const, format: 'binary' } };

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @UseInterceptors(UploadInterceptor)
  @ApiOperation({
    summary: 'Upload a photo (JPEG, PNG, WebP or HEIC), to attach to a request, comment or RESOLVE',
    description:
      'multipart/form-data with one file in `file`. The content decides, not the name: 415 ' +
      'ATTACHMENT.UNSUPPORTED_TYPE for anything else, 422 ATTACHMENT.UNREADABLE for a damaged ' +
      'image, 413 ATTACHMENT.TOO_LARGE over the size limit. The photo is kept upright, without ' +
      'its metadata (no GPS position), with a thumbnail; it is the uploader’s alone until an ' +
      'event of theirs names it in attachmentIds.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [UPLOAD_FIELD],
      properties: { [UPLOAD_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: AttachmentDto })
  upload(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<AttachmentDto> {
    if (!file) {
      throw domainError(
        'ATTACHMENT.FILE_REQUIRED',
        `Send the photo as multipart/form-data in the field ${UPLOAD_FIELD}`,
      );
    }
    return this.attachments.upload(actor, file.buffer);
  }

  @Get(':id')
  @ApiOperation({ summary: 'What is known of a photo; 404 outside the caller’s scope' })
  @ApiOkResponse({ type: AttachmentDto })
  describe(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AttachmentDto> {
    return this.attachments.describe(actor, id);
  }

  @Get(':id/content')
  @ApiOperation({ summary: 'The photo as kept (without metadata); 404 outside the caller’s scope' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiOkResponse({ content: { 'image/jpeg': IMAGE, 'image/png': IMAGE, 'image/webp': IMAGE } })
  content(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.serve(actor, id, 'content', res);
  }

  @Get(':id/thumbnail')
  @ApiOperation({ summary: 'A JPEG of at most 320 px for lists; 404 outside the caller’s scope' })
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ content: { 'image/jpeg': IMAGE } })
  thumbnail(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return this.serve(actor, id, 'thumbnail', res);
  }

  /**
   * Only ever an image: its own type, never sniffed into another (nosniff), no script or frame
   * may run in it even when opened on its own (CSP sandbox), and no copy kept anywhere.
   */
  private async serve(
    actor: Actor,
    id: string,
    rendition: Rendition,
    res: Response,
  ): Promise<StreamableFile> {
    const file = await this.attachments.open(actor, id, rendition);
    const extension = file.mediaType.slice('image/'.length);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    return new StreamableFile(file.body, {
      type: file.mediaType,
      length: file.size,
      disposition: `inline; filename="${id}-${rendition}.${extension}"`,
    });
  }
}
