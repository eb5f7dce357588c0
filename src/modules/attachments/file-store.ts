import type { Readable } from 'node:stream';

/**
 * The one seam between the attachments and where their bytes are kept: a folder on this machine
 * (`LocalFileStore`) or an S3-compatible bucket (`S3FileStore`: MinIO, Aliyun OSS, Tencent COS,
 * AWS). Content is addressed by its SHA-256, so a key names exactly one content and storing the
 * same bytes twice is harmless.
 */
export interface FileStore {
  /** Keeps `body` under `key` (its SHA-256, hex); a key already kept is left as it is. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes kept under `key`, or null when there are none. */
  open(key: string): Promise<{ body: Readable; size: number } | null>;
  /** Whether the store answers (health checks, start-up). */
  check(): Promise<void>;
}

export const FILE_STORE = Symbol('FILE_STORE');

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Keys are only ever SHA-256 digests: nothing a caller sends becomes a path or an object name. */
export function assertKey(key: string): void {
  if (!SHA256_HEX.test(key)) throw new Error('A file store key is a SHA-256 digest in hex');
}
