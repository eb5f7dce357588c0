import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import sharp from 'sharp';
import type { Response, Test } from 'supertest';
import type { AttachmentDto } from '../../src/modules/attachments/dto/attachment.dto';
import { TEST_DATABASE_URL, testEnv } from '../support/env';
import { download, EXECUTABLE, HEIC_WITH_GPS, photoWithGps } from '../support/photos';
import {
  createOtherTown,
  createRequest,
  createUser,
  expectProblem,
  getRequest,
  send,
  sendOk,
  timeline,
  uniqueCode,
  type RequestBody,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

/**
 * Sends a multipart upload of `total` bytes a megabyte at a time, paced, and stops sending once
 * the answer arrives; says how much had been sent by then.
 */
function uploadSlowly(
  port: number,
  token: string,
  total: number,
  declareLength: boolean,
): Promise<{ status: number; body: string; sentWhenAnswered: number }> {
  const boundary = 'evidence-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n` +
      `Content-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  Buffer.from([0xff, 0xd8, 0xff]).copy(chunk);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/attachments',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...(declareLength ? { 'Content-Length': head.length + total + tail.length } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered });
        req.destroy();
      });
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    void (async () => {
      req.write(head);
      while (sent < total && !answered) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        sent += chunk.length;
        if (declareLength) await new Promise((r) => setTimeout(r, 15));
      }
      if (!answered) req.end(tail);
    })();
  });
}

/**
 * Photos as evidence (issue 10 point 1): uploads judged by content and stripped of EXIF, read
 * back only within the request's scope, linked by CREATE, COMMENT and RESOLVE in the event's
 * transaction, and the categories that will not resolve without a photo of the work done.
 */
describe('photos as evidence', () => {
  let t: TestApp;
  let db: Client;
  let roadsId: string;

  const upload = async (
    user: string,
    body: Buffer,
    name = 'photo.jpg',
    contentType = 'image/jpeg',
  ): Promise<Response> =>
    t.http
      .post('/api/v1/attachments')
      .set(await t.as(user))
      .attach('file', body, { filename: name, contentType });

  const uploadOk = async (user: string, body?: Buffer): Promise<AttachmentDto> => {
    const res = await upload(user, body ?? (await photoWithGps()));
    if (res.status !== 201) throw new Error(`upload → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as AttachmentDto;
  };

  const read = (user: string, path: string) => download(t, user, path);

  const attachmentsOf = async (user: string) => {
    const [row] = await db
      .query<{ n: number }>(
        `SELECT count(*)::int AS n FROM attachments a JOIN users u ON u.id = a.uploaded_by
        WHERE u.username = $1`,
        [user],
      )
      .then((r) => r.rows);
    return row.n;
  };

  /** A request of roads at accepted, held by secretary-1. */
  const accepted = async (): Promise<RequestBody> => {
    const created = await createRequest(t, 'resident-1', { category: 'roads' });
    return sendOk(t, created.id, 'secretary-1', { type: 'ACCEPT' });
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const categories = await t.http
      .get('/api/v1/categories')
      .set(await t.as('admin'))
      .expect(200);
    roadsId = (categories.body as { id: string; code: string }[]).find(
      (c) => c.code === 'roads',
    )!.id;
    // The other suites resolve roads without photos (test/global-setup.ts); here the rule is on.
    await t.http
      .patch(`/api/v1/categories/${roadsId}`)
      .set(await t.as('admin'))
      .send({ evidenceRequired: true })
      .expect(200);
  });

  afterAll(async () => {
    await t.http
      .patch(`/api/v1/categories/${roadsId}`)
      .set(await t.as('admin'))
      .send({ evidenceRequired: false });
    await db.end();
    await stopTestApp(t);
  });

  describe('an upload', () => {
    it('of a JPEG with EXIF GPS keeps a JPEG without any EXIF, named by its SHA-256', async () => {
      const sent = await photoWithGps();
      expect((await sharp(sent).metadata()).exif).toBeDefined();
      const res = await upload('resident-1', sent);
      expect(res.status).toBe(201);
      const a = res.body as AttachmentDto;
      expect(a).toMatchObject({
        mediaType: 'image/jpeg',
        width: 64,
        height: 48,
        role: null,
        eventSeq: null,
        contentUrl: `/api/v1/attachments/${a.id}/content`,
        thumbnailUrl: `/api/v1/attachments/${a.id}/thumbnail`,
      });

      const content = await read('resident-1', a.contentUrl);
      expect(content.status).toBe(200);
      expect(content.headers).toMatchObject({
        'content-type': 'image/jpeg',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-disposition': `inline; filename="${a.id}-content.jpeg"`,
        'content-security-policy': "default-src 'none'; sandbox",
      });
      const kept = content.body as Buffer;
      expect(kept.length).toBe(a.byteSize);
      const meta = await sharp(kept).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(kept.includes('TestPhone')).toBe(false);
      const sha = createHash('sha256').update(kept).digest('hex');
      expect(existsSync(join(testEnv().FILE_STORE_DIR as string, sha.slice(0, 2), sha))).toBe(true);

      const thumb = await read('resident-1', a.thumbnailUrl);
      expect(thumb.status).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/jpeg');
      expect(thumb.headers['cache-control']).toBe('no-store');
      expect((await sharp(thumb.body as Buffer).metadata()).width).toBeLessThanOrEqual(320);

      const described = await t.http
        .get(`/api/v1/attachments/${a.id}`)
        .set(await t.as('resident-1'));
      expect(described.status).toBe(200);
      expect(described.body).toEqual(a);
    });

    it('of a HEIC photo keeps it as a JPEG without its EXIF', async () => {
      const a = await uploadOk('resident-1', HEIC_WITH_GPS);
      expect(a.mediaType).toBe('image/jpeg');
      const kept = (await read('resident-1', a.contentUrl)).body as Buffer;
      expect((await sharp(kept).metadata()).exif).toBeUndefined();
      expect(kept.includes('TestPhone')).toBe(false);
    });

    it('of an executable renamed photo.jpg: 415 ATTACHMENT.UNSUPPORTED_TYPE, nothing kept', async () => {
      const user = await createUser(t, 'resident', 'branch-1');
      const res = await upload(user.username, EXECUTABLE, 'photo.jpg', 'image/jpeg');
      expectProblem(res, 415, 'ATTACHMENT.UNSUPPORTED_TYPE');
      expect(res.body.detail).toMatch(/JPEG, PNG, WebP or HEIC/);
      expect(await attachmentsOf(user.username)).toBe(0);
    });

    it('of an SVG or HTML page: 415, whatever it is called', async () => {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      );
      expectProblem(
        await upload('resident-1', svg, 'x.png', 'image/png'),
        415,
        'ATTACHMENT.UNSUPPORTED_TYPE',
      );
      const html = Buffer.from('<!doctype html><script>alert(1)</script>');
      expectProblem(await upload('resident-1', html, 'x.jpg'), 415, 'ATTACHMENT.UNSUPPORTED_TYPE');
    });

    it('of a damaged JPEG: 422 ATTACHMENT.UNREADABLE', async () => {
      const whole = await photoWithGps('jpeg', { width: 400, height: 300 });
      expectProblem(
        await upload('resident-1', whole.subarray(0, whole.length / 2)),
        422,
        'ATTACHMENT.UNREADABLE',
      );
    });

    it('one byte over 10 MB: 413 ATTACHMENT.TOO_LARGE', async () => {
      const big = Buffer.concat([await photoWithGps(), Buffer.alloc(10 * 1024 * 1024)]);
      const res = await upload('resident-1', big);
      expectProblem(res, 413, 'ATTACHMENT.TOO_LARGE');
      expect(res.body.detail).toBe('A photo may be at most 10 MB');
    });

    describe('of 50 MB', () => {
      let port: number;
      let server: Server;

      beforeAll(async () => {
        server = t.app.getHttpServer() as Server;
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        port = (server.address() as AddressInfo).port;
      });

      afterAll(() => new Promise((resolve) => server.close(resolve)));

      it('is refused by its declared length before the rest of it is sent', async () => {
        const total = 50 * 1024 * 1024;
        const outcome = await uploadSlowly(port, await t.token('resident-1'), total, true);
        expect(outcome.status).toBe(413);
        expect(JSON.parse(outcome.body)).toMatchObject({ code: 'ATTACHMENT.TOO_LARGE' });
        expect(outcome.sentWhenAnswered).toBeLessThan(total / 2);
      });

      it('is refused without a declared length too (cut off at the limit, never kept whole)', async () => {
        const total = 50 * 1024 * 1024;
        const outcome = await uploadSlowly(port, await t.token('resident-1'), total, false);
        expect(outcome.status).toBe(413);
        expect(JSON.parse(outcome.body)).toMatchObject({ code: 'ATTACHMENT.TOO_LARGE' });
      });
    });

    it.each([
      ['a JSON body', (r: Test, _p: Buffer) => r.send({ file: 'x' })],
      [
        'two files',
        (r: Test, p: Buffer) => r.attach('file', p, 'a.jpg').attach('file', p, 'b.jpg'),
      ],
      ['the file in another field', (r: Test, p: Buffer) => r.attach('photo', p, 'a.jpg')],
      [
        'another field too',
        (r: Test, p: Buffer) => r.field('note', 'x').attach('file', p, 'a.jpg'),
      ],
    ])('%s: 400 ATTACHMENT.FILE_REQUIRED', async (_what, build) => {
      const req = t.http.post('/api/v1/attachments').set(await t.as('resident-1'));
      expectProblem(await build(req, await photoWithGps()), 400, 'ATTACHMENT.FILE_REQUIRED');
    });

    it('needs a signed-in caller', async () => {
      const res = await t.http
        .post('/api/v1/attachments')
        .attach('file', await photoWithGps(), 'a.jpg');
      expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
    });
  });

  describe('who sees a photo', () => {
    it('not attached yet: its uploader alone; anyone else 404', async () => {
      const a = await uploadOk('resident-1');
      for (const user of ['resident-2', 'secretary-1', 'dispatcher', 'town-supervisor']) {
        for (const path of [`/api/v1/attachments/${a.id}`, a.contentUrl, a.thumbnailUrl]) {
          expectProblem(await t.http.get(path).set(await t.as(user)), 404, 'ATTACHMENT.NOT_FOUND');
        }
      }
    });

    it('an unknown id is 404, a malformed one 400', async () => {
      const auth = await t.as('resident-1');
      expectProblem(
        await t.http
          .get('/api/v1/attachments/6f1c2d9e-0000-4000-8000-000000000000/content')
          .set(auth),
        404,
        'ATTACHMENT.NOT_FOUND',
      );
      expect((await t.http.get('/api/v1/attachments/photo.jpg/content').set(auth)).status).toBe(
        400,
      );
    });

    describe('of another town’s request', () => {
      let photo: AttachmentDto;

      beforeAll(async () => {
        const { resident } = await createOtherTown(t, '13700000019');
        photo = await uploadOk(resident);
        const request = await createRequest(t, resident, {
          category: 'sewage',
          attachmentIds: [photo.id],
        });
        expect(request.id).toBeDefined();
      });

      it('is 404 to xianxiang’s people, as the request is', async () => {
        for (const user of ['dispatcher', 'town-supervisor', 'secretary-1', 'resident-1']) {
          for (const path of [
            `/api/v1/attachments/${photo.id}`,
            photo.contentUrl,
            photo.thumbnailUrl,
          ]) {
            expectProblem(
              await t.http.get(path).set(await t.as(user)),
              404,
              'ATTACHMENT.NOT_FOUND',
            );
          }
        }
      });

      it('is seen by the county above both towns', async () => {
        const res = await read('county-supervisor', photo.contentUrl);
        expect(res.status).toBe(200);
      });
    });
  });

  describe('a new request with photos', () => {
    it('links them in its CREATE as before photos, shown in the request and its timeline', async () => {
      const photos = [await uploadOk('resident-1'), await uploadOk('resident-1', HEIC_WITH_GPS)];
      const created = await createRequest(t, 'resident-1', {
        category: 'sewage',
        attachmentIds: photos.map((p) => p.id),
      });
      const detail = await getRequest(t, created.id, 'secretary-1');
      expect(detail.attachments?.map((a) => [a.id, a.role, a.eventSeq])).toEqual(
        photos.map((p) => [p.id, 'before', 1]),
      );
      const [create] = await timeline(t, created.id, 'resident-1');
      expect(create.payload.attachmentIds).toEqual(photos.map((p) => p.id));
      expect(create.attachments.map((a) => a.id)).toEqual(photos.map((p) => p.id));
      // Staff of the request's branch see them now.
      expect((await read('secretary-1', photos[0].thumbnailUrl)).status).toBe(200);
      // A list answer does not carry them.
      const list = await t.http
        .get('/api/v1/requests')
        .set(await t.as('resident-1'))
        .expect(200);
      expect((list.body.items as RequestBody[])[0].attachments).toBeUndefined();
    });

    it('refuses a photo attached already, or someone else’s, and writes nothing', async () => {
      const mine = await uploadOk('resident-1');
      await createRequest(t, 'resident-1', { category: 'sewage', attachmentIds: [mine.id] });
      const theirs = await uploadOk('resident-2');
      const before = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM requests`);
      for (const ids of [[mine.id], [theirs.id], ['6f1c2d9e-0000-4000-8000-000000000000']]) {
        const res = await t.http
          .post('/api/v1/requests')
          .set(await t.as('resident-1'))
          .send({ title: '重复照片', description: 'x', category: 'sewage', attachmentIds: ids });
        expectProblem(res, 400, 'ATTACHMENT.NOT_ATTACHABLE');
        expect(res.body.errors).toEqual([
          { field: 'attachmentIds', messages: [expect.any(String)] },
        ]);
      }
      const after = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM requests`);
      expect(after.rows[0].n).toBe(before.rows[0].n);
      expect(
        (await t.http.get(`/api/v1/attachments/${theirs.id}`).set(await t.as('resident-2'))).body
          .role,
      ).toBeNull();
    });

    it('refuses more than 9 photos: 400 ATTACHMENT.TOO_MANY', async () => {
      const user = await createUser(t, 'resident', 'branch-1', { phone: '13700000029' });
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push((await uploadOk(user.username)).id);
      const res = await t.http
        .post('/api/v1/requests')
        .set(await t.as(user.username))
        .send({ title: '十张照片', description: 'x', category: 'sewage', attachmentIds: ids });
      expectProblem(res, 400, 'ATTACHMENT.TOO_MANY');
      expect(res.body.detail).toMatch(/at most 9/);
      const nine = await t.http
        .post('/api/v1/requests')
        .set(await t.as(user.username))
        .send({
          title: '九张照片',
          description: 'x',
          category: 'sewage',
          attachmentIds: ids.slice(0, 9),
        });
      expect(nine.status).toBe(201);
    });

    it('refuses attachmentIds that are not a list of distinct UUIDs: 400 VALIDATION.FAILED', async () => {
      for (const attachmentIds of [
        'x',
        ['x'],
        [1],
        Array(51).fill('6f1c2d9e-0000-4000-8000-000000000000'),
      ]) {
        const res = await t.http
          .post('/api/v1/requests')
          .set(await t.as('resident-1'))
          .send({ title: '坏', description: 'x', category: 'sewage', attachmentIds });
        expectProblem(res, 400, 'VALIDATION.FAILED');
        expect(JSON.stringify(res.body.errors)).toContain('attachmentIds');
      }
    });
  });

  describe('a category that requires evidence', () => {
    it('refuses RESOLVE without a photo: 422 REQUEST.EVIDENCE_REQUIRED naming attachmentIds', async () => {
      const request = await accepted();
      for (const extra of [{}, { attachmentIds: [] }, { attachmentIds: null }]) {
        const res = await send(t, request.id, 'secretary-1', {
          type: 'RESOLVE',
          resolution: '已修好',
          ...extra,
        });
        expectProblem(res, 422, 'REQUEST.EVIDENCE_REQUIRED');
        expect(res.body.detail).toMatch(
          /道路交通 \(roads\) needs a photo of the work done to resolve/,
        );
        expect(res.body).toMatchObject({
          category: 'roads',
          errors: [
            { field: 'attachmentIds', messages: [expect.stringContaining('attachmentIds')] },
          ],
        });
      }
      const still = await getRequest(t, request.id, 'secretary-1');
      expect({ state: still.state, version: still.version }).toEqual({
        state: 'accepted',
        version: request.version,
      });
    });

    it('resolves with one: the after photo shows to the resident, with the before ones', async () => {
      const before = await uploadOk('resident-1');
      const created = await createRequest(t, 'resident-1', {
        category: 'roads',
        attachmentIds: [before.id],
      });
      await sendOk(t, created.id, 'secretary-1', { type: 'ACCEPT' });
      const proof = await uploadOk('secretary-1');
      const resolved = await sendOk(t, created.id, 'secretary-1', {
        type: 'RESOLVE',
        resolution: '坑已填平',
        attachmentIds: [proof.id],
      });
      expect(resolved.state).toBe('resolved');
      const detail = await getRequest(t, created.id, 'resident-1');
      expect(detail.attachments?.map((a) => [a.id, a.role, a.eventSeq])).toEqual([
        [before.id, 'before', 1],
        [proof.id, 'after', resolved.version],
      ]);
      const entries = await timeline(t, created.id, 'resident-1');
      const resolve = entries.find((e) => e.type === 'RESOLVE')!;
      expect(resolve.attachments.map((a) => a.id)).toEqual([proof.id]);
      expect(resolve.payload.attachmentIds).toEqual([proof.id]);
      expect((await read('resident-1', proof.contentUrl)).status).toBe(200);
    });

    it('refuses a resolver’s proof uploaded by someone else', async () => {
      const request = await accepted();
      const residents = await uploadOk('resident-1');
      const res = await send(t, request.id, 'secretary-1', {
        type: 'RESOLVE',
        resolution: '已修好',
        attachmentIds: [residents.id],
      });
      expectProblem(res, 400, 'ATTACHMENT.NOT_ATTACHABLE');
      expect((await getRequest(t, request.id, 'secretary-1')).state).toBe('accepted');
    });

    it('sanitation requires it from the seed, sewage does not; the admin sets it', async () => {
      const list = await t.http
        .get('/api/v1/categories')
        .set(await t.as('resident-1'))
        .expect(200);
      const rule = Object.fromEntries(
        (list.body as { code: string; evidenceRequired: boolean }[]).map((c) => [
          c.code,
          c.evidenceRequired,
        ]),
      );
      expect({ sanitation: rule.sanitation, sewage: rule.sewage, roads: rule.roads }).toEqual({
        sanitation: true,
        sewage: false,
        roads: true,
      });
      const code = uniqueCode('lamps');
      const created = await t.http
        .post('/api/v1/categories')
        .set(await t.as('admin'))
        .send({ code, name: '路灯', nameEn: 'Street lights', evidenceRequired: true })
        .expect(201);
      expect(created.body.evidenceRequired).toBe(true);
      expectProblem(
        await t.http
          .patch(`/api/v1/categories/${created.body.id}`)
          .set(await t.as('secretary-1'))
          .send({ evidenceRequired: false }),
        403,
        'AUTH.FORBIDDEN',
      );
      expectProblem(
        await t.http
          .patch(`/api/v1/categories/${created.body.id}`)
          .set(await t.as('admin'))
          .send({ evidenceRequired: 'yes' }),
        400,
        'VALIDATION.FAILED',
      );
      const off = await t.http
        .patch(`/api/v1/categories/${created.body.id}`)
        .set(await t.as('admin'))
        .send({ evidenceRequired: false })
        .expect(200);
      expect(off.body.evidenceRequired).toBe(false);
    });

    it('a sewage request resolves without a photo', async () => {
      const created = await createRequest(t, 'resident-1', { category: 'sewage' });
      await sendOk(t, created.id, 'secretary-1', { type: 'ACCEPT' });
      const resolved = await sendOk(t, created.id, 'secretary-1', {
        type: 'RESOLVE',
        resolution: '已疏通',
      });
      expect(resolved.state).toBe('resolved');
    });
  });

  describe('comments with photos', () => {
    it('a resident’s comment photo is seen by the branch', async () => {
      const created = await createRequest(t, 'resident-1', { category: 'sewage' });
      const photo = await uploadOk('resident-1');
      const after = await sendOk(t, created.id, 'resident-1', {
        type: 'COMMENT',
        text: '补一张照片',
        attachmentIds: [photo.id],
      });
      const detail = await getRequest(t, created.id, 'secretary-1');
      expect(detail.attachments?.map((a) => [a.id, a.role, a.eventSeq])).toEqual([
        [photo.id, 'comment', after.version],
      ]);
      expect((await read('secretary-1', photo.contentUrl)).status).toBe(200);
    });

    it('a staff note’s photo is never shown to the resident', async () => {
      const created = await createRequest(t, 'resident-1', { category: 'sewage' });
      const photo = await uploadOk('secretary-1');
      await sendOk(t, created.id, 'secretary-1', {
        type: 'COMMENT',
        text: '内部：现场照片',
        internal: true,
        attachmentIds: [photo.id],
      });
      expect((await getRequest(t, created.id, 'resident-1')).attachments).toEqual([]);
      expectProblem(
        await t.http.get(photo.contentUrl).set(await t.as('resident-1')),
        404,
        'ATTACHMENT.NOT_FOUND',
      );
      expect((await getRequest(t, created.id, 'dispatcher')).attachments?.map((a) => a.id)).toEqual(
        [photo.id],
      );
    });

    it('an event naming an unknown photo writes nothing', async () => {
      const created = await createRequest(t, 'resident-1', { category: 'sewage' });
      const res = await send(t, created.id, 'resident-1', {
        type: 'COMMENT',
        text: '照片',
        attachmentIds: ['6f1c2d9e-0000-4000-8000-000000000000'],
      });
      expectProblem(res, 400, 'ATTACHMENT.NOT_ATTACHABLE');
      expect((await getRequest(t, created.id, 'resident-1')).version).toBe(created.version);
    });
  });

  describe('linked photos are evidence', () => {
    it('the database refuses to move or remove one', async () => {
      const photo = await uploadOk('resident-1');
      const created = await createRequest(t, 'resident-1', {
        category: 'sewage',
        attachmentIds: [photo.id],
      });
      expect(created.id).toBeDefined();
      await expect(db.query(`DELETE FROM attachments WHERE id = $1`, [photo.id])).rejects.toThrow(
        /evidence/,
      );
      await expect(
        db.query(`UPDATE attachments SET request_id = NULL, event_seq = NULL WHERE id = $1`, [
          photo.id,
        ]),
      ).rejects.toThrow(/evidence/);
    });
  });
});

describe('the limit on uploads not attached yet', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ATTACHMENT_MAX_PENDING: '2' });
  });

  afterAll(() => stopTestApp(t));

  it('a third unattached upload within a day: 429 ATTACHMENT.TOO_MANY_PENDING', async () => {
    const user = await createUser(t, 'resident', 'branch-2', { phone: '13700000039' });
    const auth = await t.as(user.username);
    const photo = await photoWithGps();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await t.http.post('/api/v1/attachments').set(auth).attach('file', photo, 'a.jpg');
      expect(res.status).toBe(201);
      ids.push(res.body.id as string);
    }
    expectProblem(
      await t.http.post('/api/v1/attachments').set(auth).attach('file', photo, 'a.jpg'),
      429,
      'ATTACHMENT.TOO_MANY_PENDING',
    );
    // Attached, they no longer count.
    await createRequest(t, user.username, { category: 'sewage', attachmentIds: ids });
    const again = await t.http.post('/api/v1/attachments').set(auth).attach('file', photo, 'a.jpg');
    expect(again.status).toBe(201);
  });
});
