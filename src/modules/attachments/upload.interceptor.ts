import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { domainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/** The multipart field the photo comes in. */
export const UPLOAD_FIELD = 'file';

/** Room for the multipart boundaries and part headers around a file of the largest size. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** multer's refusals of a body that is not one file in `file`. */
const NOT_ONE_FILE = new Set([
  'LIMIT_UNEXPECTED_FILE',
  'LIMIT_FILE_COUNT',
  'LIMIT_PART_COUNT',
  'LIMIT_FIELD_COUNT',
  'LIMIT_FIELD_KEY',
  'LIMIT_FIELD_VALUE',
  'MISSING_FIELD_NAME',
]);

/**
 * One photo in the multipart field `file`, held in memory up to the configured size and no
 * further. A body whose declared length is too large is refused at once, before a byte of it is
 * read (the rest is read and dropped, so the client sees the answer while it is still sending);
 * one without a declared length is cut off by multer at the limit, which reads the rest, drops
 * it and then answers. Either way: 413 ATTACHMENT.TOO_LARGE, and multer's other refusals as
 * codes of the catalogue.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  private readonly multer: NestInterceptor;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const Multer = FileInterceptor(UPLOAD_FIELD, {
      limits: {
        fileSize: config.attachments.maxBytes,
        files: 1,
        fields: 0,
        parts: 1,
        headerPairs: 100,
      },
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const declared = Number(req.headers['content-length']);
    if (declared > this.config.attachments.maxBytes + MULTIPART_OVERHEAD) {
      req.resume();
      throw this.tooLarge();
    }
    try {
      return await this.multer.intercept(context, next);
    } catch (e) {
      throw this.refusal(e);
    }
  }

  private tooLarge() {
    const mb = Math.round((this.config.attachments.maxBytes / 1024 / 1024) * 10) / 10;
    return domainError('ATTACHMENT.TOO_LARGE', `A photo may be at most ${mb} MB`);
  }

  private refusal(e: unknown): unknown {
    if (!(e instanceof HttpException)) return e;
    const code = (e.cause as { code?: unknown } | undefined)?.code;
    if (e.getStatus() === 413) return this.tooLarge();
    if (typeof code === 'string' && NOT_ONE_FILE.has(code)) {
      return domainError(
        'ATTACHMENT.FILE_REQUIRED',
        `Send one photo in the multipart field ${UPLOAD_FIELD}, and nothing else`,
      );
    }
    return e;
  }
}
