import type { AttachmentRole } from '../../../workflows';
import type { Actor } from '../../common/auth/role';
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

/** Residents never see a staff note's photo; everyone else who may read its request does. */
export function photoShownTo(
  actor: Pick<Actor, 'role'>,
  a: Pick<AttachmentEntity, 'internal'>,
): boolean {
  return !(a.internal && actor.role === 'resident');
}
