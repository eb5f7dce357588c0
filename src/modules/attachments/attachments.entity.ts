import type { AttachmentRole } from '../../../workflows';
import type { RequestEntity } from '../requests/requests.entity';
import type { SourceType, StoredType } from './image-intake';

/** One uploaded photo: its uploader's alone until an event links it to a request. */
export interface AttachmentEntity {
  id: string;
  uploadedBy: string;
  sourceType: SourceType;
  mediaType: StoredType;
  byteSize: number;
  width: number;
  height: number;
  sha256: string;
  thumbnailSha256: string;
  thumbnailSize: number;
  createdAt: Date;
  requestId: string | null;
  eventSeq: number | null;
  role: AttachmentRole | null;
  internal: boolean;
}

/** What the scope rules need of the request a linked attachment belongs to. */
export type RequestScopeFields = Pick<
  RequestEntity,
  'residentId' | 'branchId' | 'townId' | 'assigneeUnitId' | 'assigneeUserId' | 'unitPath'
>;
