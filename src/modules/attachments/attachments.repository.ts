import { Injectable } from '@nestjs/common';
import type { AttachmentRole } from '../../../workflows';
import { DatabaseService } from '../../database/database.service';
import type { Scoped } from '../requests/request-policy';
import type { AttachmentEntity } from './attachments.entity';

const COLUMNS = `a.id, a.uploaded_by AS "uploadedBy", a.source_type AS "sourceType",
  a.media_type AS "mediaType", a.byte_size AS "byteSize", a.width, a.height, a.sha256,
  a.thumbnail_sha256 AS "thumbnailSha256", a.thumbnail_size AS "thumbnailSize",
  a.created_at AS "createdAt", a.request_id AS "requestId", a.event_seq AS "eventSeq", a.role,
  a.internal`;

const SCOPE = `r.resident_id AS "residentId", r.branch_id AS "branchId", r.town_id AS "townId",
  r.assignee_unit_id AS "assigneeUnitId", r.assignee_user_id AS "assigneeUserId",
  r.unit_path AS "unitPath"`;

@Injectable()
export class AttachmentsRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(
    a: Omit<AttachmentEntity, 'createdAt' | 'requestId' | 'eventSeq' | 'role' | 'internal'>,
  ): Promise<Date> {
    const [row] = await this.db.manager().query<{ createdAt: Date }[]>(
      `INSERT INTO attachments (id, uploaded_by, source_type, media_type, byte_size, width, height,
         sha256, thumbnail_sha256, thumbnail_size)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING created_at AS "createdAt"`,
      [
        a.id,
        a.uploadedBy,
        a.sourceType,
        a.mediaType,
        a.byteSize,
        a.width,
        a.height,
        a.sha256,
        a.thumbnailSha256,
        a.thumbnailSize,
      ],
    );
    return row.createdAt;
  }

  /** The attachment with the scope of its request, when it is linked to one. */
  async findWithScope(
    id: string,
  ): Promise<{ attachment: AttachmentEntity; request: Scoped | null } | null> {
    const rows = await this.db.manager().query<(AttachmentEntity & Scoped)[]>(
      `SELECT ${COLUMNS}, ${SCOPE} FROM attachments a
           LEFT JOIN requests r ON r.id = a.request_id
          WHERE a.id = $1`,
      [id],
    );
    if (rows.length === 0) return null;
    const {
      residentId,
      branchId,
      townId,
      assigneeUnitId,
      assigneeUserId,
      unitPath,
      ...attachment
    } = rows[0];
    const request =
      attachment.requestId === null
        ? null
        : { residentId, branchId, townId, assigneeUnitId, assigneeUserId, unitPath };
    return { attachment, request };
  }

  findByIds(ids: string[]): Promise<AttachmentEntity[]> {
    return this.db
      .manager()
      .query<AttachmentEntity[]>(
        `SELECT ${COLUMNS} FROM attachments a WHERE a.id = ANY($1::uuid[])`,
        [ids],
      );
  }

  /** Uploads of the user since `since` not attached to anything. */
  async countPending(userId: string, since: Date): Promise<number> {
    const [row] = await this.db.manager().query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM attachments
        WHERE uploaded_by = $1 AND request_id IS NULL AND created_at > $2`,
      [userId, since],
    );
    return row.n;
  }

  /**
   * Links the uploader's unattached files to the event; returns how many it linked, which is
   * fewer than asked when one was linked meanwhile or is not theirs.
   */
  async link(
    ids: string[],
    uploadedBy: string,
    to: { requestId: string; seq: number; role: AttachmentRole; internal: boolean; at: Date },
  ): Promise<number> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count], not the rows.
    const [row] = await this.db.manager().query<{ n: number }[]>(
      `WITH linked AS (
         UPDATE attachments
            SET request_id = $3, event_seq = $4, role = $5, internal = $6, linked_at = $7,
                position = array_position($1::uuid[], id)
          WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 AND request_id IS NULL
          RETURNING id)
       SELECT count(*)::int AS n FROM linked`,
      [ids, uploadedBy, to.requestId, to.seq, to.role, to.internal, to.at],
    );
    return row.n;
  }

  ofRequest(requestId: string): Promise<AttachmentEntity[]> {
    return this.db.manager().query<AttachmentEntity[]>(
      `SELECT ${COLUMNS} FROM attachments a WHERE a.request_id = $1
          ORDER BY a.event_seq, a.position`,
      [requestId],
    );
  }
}
