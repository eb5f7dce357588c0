import { Inject, Injectable } from '@nestjs/common';
import {
  attachmentsOf,
  type AttachmentRole,
  CREATE_ATTACHMENT_ROLE,
  type ResidentRequestEvent,
} from '../../../workflows';
import type { Actor } from '../../common/auth/role';
import { domainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CategoriesService } from '../categories/categories.service';
import { type AttachmentEntity, photoShownTo } from './attachments.entity';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentDto } from './dto/attachment.dto';

/** Files an event will link, checked before anything of the event is written. */
export interface LinkPlan {
  ids: string[];
  uploadedBy: string;
  role: AttachmentRole;
  internal: boolean;
  field: string;
}

const notAttachable = (field: string, ids: string[]) =>
  domainError(
    'ATTACHMENT.NOT_ATTACHABLE',
    `${field} names files that are unknown, someone else's or attached already: ${ids.join(', ')}`,
    { errors: [{ field, messages: [`not attachable: ${ids.join(', ')}`] }] },
  );

/**
 * Links uploaded photos to the request, in the transaction of the event that names them: the
 * photos of a new request, of a comment, and of a resolution (the proof a category may require).
 */
@Injectable()
export class AttachmentLinksService {
  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly categories: CategoriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The photos a new request names, checked. */
  forCreate(uploadedBy: string, ids: string[] | undefined): Promise<LinkPlan | null> {
    return this.plan({
      ids: ids ?? [],
      uploadedBy,
      role: CREATE_ATTACHMENT_ROLE,
      internal: false,
      field: 'attachmentIds',
      categoryId: null,
    });
  }

  /**
   * The photos an event names, checked, or null when it names none; refuses a RESOLVE without
   * proof where the request's category requires evidence. `uploadedBy` is who sends the event.
   */
  forEvent(
    uploadedBy: string | null,
    request: { categoryId: string },
    event: ResidentRequestEvent,
  ): Promise<LinkPlan | null> {
    const declared = attachmentsOf(event.type);
    if (!declared) return Promise.resolve(null);
    const fields = event as unknown as Record<string, unknown>;
    return this.plan({
      ids: (fields[declared.field] as string[] | null | undefined) ?? [],
      uploadedBy,
      role: declared.role,
      internal: fields.internal === true,
      field: declared.field,
      categoryId: request.categoryId,
    });
  }

  private async plan(p: {
    ids: string[];
    uploadedBy: string | null;
    role: AttachmentRole;
    internal: boolean;
    field: string;
    categoryId: string | null;
  }): Promise<LinkPlan | null> {
    const { ids, uploadedBy, role, field } = p;
    if (ids.length === 0) {
      if (role === 'after' && p.categoryId) await this.requireEvidenceIfAsked(p.categoryId, field);
      return null;
    }
    const max = this.config.attachments.maxPerEvent;
    if (ids.length > max) {
      throw domainError('ATTACHMENT.TOO_MANY', `${field} may name at most ${max} photos`, {
        errors: [{ field, messages: [`at most ${max} photos`] }],
      });
    }
    const found = new Map((await this.attachments.findByIds(ids)).map((a) => [a.id, a]));
    const usable = (a: AttachmentEntity | undefined) =>
      a !== undefined && a.uploadedBy === uploadedBy && a.requestId === null;
    const refused = ids.filter((id) => !usable(found.get(id.toLowerCase())));
    if (refused.length > 0 || uploadedBy === null) throw notAttachable(field, refused);
    return { ids, uploadedBy, role, internal: p.internal, field };
  }

  /** Refuses a resolution without photos when the category asks for evidence. */
  private async requireEvidenceIfAsked(categoryId: string, field: string): Promise<void> {
    const category = (await this.categories.list(true)).find((c) => c.id === categoryId);
    if (!category?.evidenceRequired) return;
    const message = `${category.name} (${category.code}) needs a photo of the work done to resolve: upload it with POST /api/v1/attachments and name it in ${field}`;
    throw domainError('REQUEST.EVIDENCE_REQUIRED', message, {
      category: category.code,
      errors: [{ field, messages: [message] }],
    });
  }

  /** Links the planned photos to the event just written, in its transaction. */
  async link(plan: LinkPlan, requestId: string, seq: number, at: Date): Promise<void> {
    const linked = await this.attachments.link(plan.ids, plan.uploadedBy, {
      requestId,
      seq,
      role: plan.role,
      internal: plan.internal,
      at,
    });
    // Another event took one of them since the plan was made: this one fails whole.
    if (linked !== plan.ids.length) throw notAttachable(plan.field, plan.ids);
  }

  /** The request's photos the caller may see (a resident: none of a staff note's). */
  async ofRequest(actor: Actor, requestId: string): Promise<AttachmentDto[]> {
    const all = await this.attachments.ofRequest(requestId);
    return all.filter((a) => photoShownTo(actor, a)).map((a) => AttachmentDto.from(a));
  }
}
