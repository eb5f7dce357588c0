import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import S3rver from 's3rver';
import sharp from 'sharp';
import type { FileStoreConfig } from '../../src/config/file-store-config';
import type { FileStore } from '../../src/modules/attachments/file-store';
import { LocalFileStore } from '../../src/modules/attachments/local-file-store';
import { S3FileStore } from '../../src/modules/attachments/s3-file-store';
import { download, photoWithGps } from '../support/photos';
import { createRequest, getRequest } from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

/**
 * The file store seam: the same contract from a folder and from an S3-protocol server (s3rver,
 * started here on a free port), and the whole API on the S3 driver.
 */

async function bytesOf(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const keyOf = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let s3: S3rver;
let s3Dir: string;
let s3Config: Extract<FileStoreConfig, { kind: 's3' }>;
let localDir: string;

beforeAll(async () => {
  s3Dir = mkdtempSync(join(tmpdir(), 'closed-loop-s3rver-'));
  localDir = mkdtempSync(join(tmpdir(), 'closed-loop-local-store-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir });
  const { port } = await s3.run();
  s3Config = {
    kind: 's3',
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: 'closed-loop-evidence',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
});

afterAll(async () => {
  await s3.close();
  rmSync(s3Dir, { recursive: true, force: true });
  rmSync(localDir, { recursive: true, force: true });
});

describe.each([
  ['the local folder', () => new LocalFileStore(localDir)],
  ['the S3 driver against s3rver', () => new S3FileStore(s3Config)],
])('%s', (_name, make: () => FileStore) => {
  let store: FileStore;

  beforeAll(async () => {
    store = make();
    await store.check();
  });

  afterAll(() => (store as { close?: () => void }).close?.());

  it('gives back the bytes kept under their SHA-256', async () => {
    const body = randomBytes(300_000);
    await store.put(keyOf(body), body, 'image/jpeg');
    const file = await store.open(keyOf(body));
    expect(file?.size).toBe(body.length);
    expect((await bytesOf(file!.body)).equals(body)).toBe(true);
  });

  it('keeps the same bytes twice without harm', async () => {
    const body = randomBytes(1000);
    await store.put(keyOf(body), body, 'image/png');
    await store.put(keyOf(body), body, 'image/png');
    expect((await bytesOf((await store.open(keyOf(body)))!.body)).equals(body)).toBe(true);
  });

  it('answers null for a key it does not hold', async () => {
    expect(await store.open(keyOf(randomBytes(16)))).toBeNull();
  });

  it('takes nothing but a SHA-256 as a key', async () => {
    await expect(store.put('../../etc/passwd', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(
      /SHA-256/,
    );
    await expect(store.open('a'.repeat(63) + 'G')).rejects.toThrow(/SHA-256/);
  });
});

describe('the API on the S3 driver', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      FILE_STORE: 's3',
      S3_ENDPOINT: s3Config.endpoint ?? '',
      S3_BUCKET: 'closed-loop-api',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    });
  });

  afterAll(() => stopTestApp(t));

  it('keeps an upload in the bucket (created at start) and serves it back', async () => {
    const res = await t.http
      .post('/api/v1/attachments')
      .set(await t.as('resident-1'))
      .attach('file', await photoWithGps(), 'photo.jpg');
    expect(res.status).toBe(201);
    const request = await createRequest(t, 'resident-1', {
      category: 'sewage',
      attachmentIds: [res.body.id],
    });
    const [photo] = (await getRequest(t, request.id, 'secretary-1')).attachments ?? [];
    const content = await download(t, 'secretary-1', photo.contentUrl);
    expect(content.status).toBe(200);
    const kept = content.body as Buffer;
    expect((await sharp(kept).metadata()).exif).toBeUndefined();
    const direct = new S3FileStore({ ...s3Config, bucket: 'closed-loop-api' });
    try {
      const object = await direct.open(keyOf(kept));
      expect(object?.size).toBe(kept.length);
    } finally {
      direct.close();
    }
  });
});
