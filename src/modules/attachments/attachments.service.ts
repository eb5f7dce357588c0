import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { canRead } from '../requests/request-policy';
import { UnitsService } from '../units/units.service';
import { type AttachmentEntity, photoShownTo } from './attachments.entity';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentDto } from './dto/attachment.dto';
import { FILE_STORE, type FileStore } from './file-store';
import { keepImage } from './image-intake';

const DAY_MS = 86_400_000;

export type Rendition = 'content' | 'thumbnail';

/** Uploading a photo, and reading one back for whoever may see it. */
@Injectable()
export class AttachmentsService implements OnModuleInit {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    private readonly attachments: AttachmentsRepository,
    @Inject(FILE_STORE) private readonly store: FileStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly units: UnitsService,
  ) {}

  /** A store that cannot be reached stops the start, rather than the first upload. */
  async onModuleInit(): Promise<void> {
    await this.store.check();
  }

  /**
   * Keeps a photo for the caller: checked by its content, written anew without metadata, with
   * a thumbnail. It is theirs alone until an event of theirs names it.
   */
  async upload(actor: Actor, file: Buffer): Promise<AttachmentDto> {
    const since = new Date(Date.now() - DAY_MS);
    const pending = await this.attachments.countPending(actor.id, since);
    if (pending >= this.config.attachments.maxPending) {
      throw domainError(
        'ATTACHMENT.TOO_MANY_PENDING',
        `You have ${pending} photos uploaded in the last day and not attached to anything; attach them first`,
      );
    }
    const image = await keepImage(file);
    await this.store.put(image.sha256, image.body, image.mediaType);
    await this.store.put(image.thumbnail.sha256, image.thumbnail.body, 'image/jpeg');
    const attachment: AttachmentEntity = {
      id: randomUUID(),
      uploadedBy: actor.id,
      sourceType: image.sourceType,
      mediaType: image.mediaType,
      byteSize: image.body.length,
      width: image.width,
      height: image.height,
      sha256: image.sha256,
      thumbnailSha256: image.thumbnail.sha256,
      thumbnailSize: image.thumbnail.body.length,
      createdAt: new Date(),
      requestId: null,
      eventSeq: null,
      role: null,
      internal: false,
    };
    attachment.createdAt = await this.attachments.insert(attachment);
    return AttachmentDto.from(attachment);
  }

  async describe(actor: Actor, id: string): Promise<AttachmentDto> {
    return AttachmentDto.from(await this.findVisible(actor, id));
  }

  /** The bytes of the photo or its thumbnail, for a caller who may see it. */
  async open(
    actor: Actor,
    id: string,
    rendition: Rendition,
  ): Promise<{ body: Readable; size: number; mediaType: string }> {
    const a = await this.findVisible(actor, id);
    const key = rendition === 'content' ? a.sha256 : a.thumbnailSha256;
    const file = await this.store.open(key);
    if (!file) {
      // The row outlived its bytes (a store restored from an older copy): said, not hidden.
      this.logger.warn(`attachment ${a.id}: the file store has no ${rendition}`);
      throw domainError('ATTACHMENT.NOT_FOUND', 'The file of this attachment is missing');
    }
    return { ...file, mediaType: rendition === 'content' ? a.mediaType : 'image/jpeg' };
  }

  /**
   * Linked: whoever may read its request, except a resident for a staff note's photo. Not linked
   * yet: its uploader alone. Anything else answers as if it did not exist.
   */
  private async findVisible(actor: Actor, id: string): Promise<AttachmentEntity> {
    const found = await this.attachments.findWithScope(id);
    const visible =
      found !== null &&
      (found.request === null
        ? found.attachment.uploadedBy === actor.id
        : canRead(actor, found.request, await this.units.ledBy(actor)) &&
          photoShownTo(actor, found.attachment));
    if (!visible) throw domainError('ATTACHMENT.NOT_FOUND', 'No such attachment');
    return found.attachment;
  }
}
