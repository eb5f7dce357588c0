import type { Readable } from 'node:stream';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { FileStoreConfig } from '../../config/file-store-config';
import { assertKey, type FileStore } from './file-store';

type S3Config = Extract<FileStoreConfig, { kind: 's3' }>;

const isNotFound = (e: unknown) =>
  e instanceof S3ServiceException &&
  (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata.httpStatusCode === 404);

/**
 * Objects in an S3-compatible bucket, named by their SHA-256. MinIO (docker compose), Aliyun OSS
 * and Tencent COS speak the same protocol; only the endpoint, the keys and the addressing style
 * differ. A missing bucket is created at start, so a fresh MinIO needs no setup step.
 */
export class S3FileStore implements FileStore {
  private readonly client: S3Client;

  constructor(private readonly config: S3Config) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint ?? undefined,
      forcePathStyle: config.forcePathStyle,
      credentials:
        config.accessKeyId && config.secretAccessKey
          ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
          : undefined,
      // The SDK's checksums by default are newer than some compatible servers understand.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertKey(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ContentLength: body.length,
      }),
    );
  }

  async open(key: string): Promise<{ body: Readable; size: number } | null> {
    assertKey(key);
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
      if (!out.Body || out.ContentLength === undefined) return null;
      return { body: out.Body as Readable, size: out.ContentLength };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.config.bucket }));
      } catch (created) {
        // The API and the worker start together; one of them creates it.
        if (!(created instanceof BucketAlreadyOwnedByYou)) throw created;
      }
    }
  }

  close(): void {
    this.client.destroy();
  }
}
