import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CategoriesModule } from '../categories/categories.module';
import { UnitsModule } from '../units/units.module';
import { AttachmentLinksService } from './attachment-links.service';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { FILE_STORE, type FileStore } from './file-store';
import { LocalFileStore } from './local-file-store';
import { S3FileStore } from './s3-file-store';
import { UploadInterceptor } from './upload.interceptor';

/** The one place that picks where files are kept (FILE_STORE). */
export function fileStoreOf(config: AppConfig): FileStore {
  const c = config.fileStore;
  return c.kind === 's3' ? new S3FileStore(c) : new LocalFileStore(c.dir);
}

@Module({
  imports: [CategoriesModule, UnitsModule],
  controllers: [AttachmentsController],
  providers: [
    { provide: FILE_STORE, inject: [APP_CONFIG], useFactory: fileStoreOf },
    AttachmentsRepository,
    AttachmentsService,
    AttachmentLinksService,
    UploadInterceptor,
  ],
  exports: [AttachmentLinksService],
})
export class AttachmentsModule {}
