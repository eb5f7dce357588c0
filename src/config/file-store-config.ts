import { MAX_ATTACHMENT_IDS } from '../../workflows';

/** Where uploaded files are kept: a folder of this machine, or an S3-compatible bucket. */
export type FileStoreConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      /** Unset: AWS itself; MinIO, Aliyun OSS and Tencent COS give theirs. */
      endpoint: string | null;
      region: string;
      bucket: string;
      accessKeyId: string | null;
      secretAccessKey: string | null;
      /** bucket in the path (MinIO) instead of the host name (AWS, OSS, COS) */
      forcePathStyle: boolean;
    };

export interface AttachmentLimits {
  /** The largest file accepted, in bytes; a larger upload is cut off at this size. */
  maxBytes: number;
  /** How many files one event (a request, a comment, a resolution) may carry. */
  maxPerEvent: number;
  /** How many uploads a person may hold that are not yet attached to anything. */
  maxPending: number;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Reads FILE_STORE and its settings, adding what is wrong to `problems`. */
export function fileStoreConfig(env: NodeJS.ProcessEnv, problems: string[]): FileStoreConfig {
  const kind = env.FILE_STORE?.trim() || 'local';
  if (kind === 'local') return { kind, dir: env.FILE_STORE_DIR?.trim() || 'data/files' };
  if (kind !== 's3') {
    problems.push('FILE_STORE must be local or s3');
    return { kind: 'local', dir: '' };
  }
  const endpoint = env.S3_ENDPOINT?.trim() || null;
  if (endpoint !== null && !/^https?:\/\/[^/?#\s]+\/?$/.test(endpoint)) {
    problems.push('S3_ENDPOINT must be an http(s) address without a path, e.g. http://minio:9000');
  }
  const bucket = env.S3_BUCKET?.trim() ?? '';
  if (!BUCKET.test(bucket)) {
    problems.push(
      'S3_BUCKET must be a bucket name (3–63 lower-case letters, digits, dots, dashes)',
    );
  }
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim() || null;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim() || null;
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
  }
  const pathStyle = env.S3_FORCE_PATH_STYLE?.trim() || 'false';
  if (pathStyle !== 'true' && pathStyle !== 'false') {
    problems.push('S3_FORCE_PATH_STYLE must be true or false');
  }
  return {
    kind,
    endpoint,
    region: env.S3_REGION?.trim() || 'us-east-1',
    bucket,
    accessKeyId,
    secretAccessKey,
    forcePathStyle: pathStyle === 'true',
  };
}

export function attachmentLimits(
  integer: (name: string, fallback: number, min: number, max: number) => number,
): AttachmentLimits {
  return {
    maxBytes: integer('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    maxPerEvent: integer('ATTACHMENT_MAX_PER_EVENT', 9, 1, MAX_ATTACHMENT_IDS),
    maxPending: integer('ATTACHMENT_MAX_PENDING', 30, 1, 10_000),
  };
}
