import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endSession } from '../session';
import { mountIn } from '../test/mount';
import { trackBlobUrls } from '../test/photos';
import { signedInAs } from '../test/session';

/** The client takes the global fetch when it is made: this one is in place before any import. */
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
});

const { default: PhotoPicker } = await import('./PhotoPicker.vue');

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': status < 400 ? 'application/json' : 'application/problem+json',
    },
  });
const kept = (id: string) =>
  json(201, {
    id,
    mediaType: 'image/png',
    byteSize: 70,
    width: 1,
    height: 1,
    role: null,
    eventSeq: null,
    uploadedAt: '2026-03-02T01:00:00Z',
    contentUrl: `/api/v1/attachments/${id}/content`,
    thumbnailUrl: `/api/v1/attachments/${id}/thumbnail`,
  });
const refused = (status: number, code: string) =>
  json(status, { type: 'x', title: 'x', status, code, detail: code, instance: '/' });

const photo = (name: string, size = 70) =>
  new File([new Uint8Array(size)], name, {
    type: name.endsWith('.png') ? 'image/png' : 'image/jpeg',
  });

type Picker = VueWrapper<InstanceType<typeof PhotoPicker>>;

/** Picks files with one of the two inputs (0: the camera, 1: the album), as a phone would. */
async function pick(w: Picker, files: File[], input = 1): Promise<void> {
  const el = w.findAll('input[type="file"]')[input]?.element as HTMLInputElement;
  Object.defineProperty(el, 'files', { value: files, configurable: true });
  el.dispatchEvent(new Event('change'));
  await flushPromises();
  await flushPromises();
}

const statuses = (w: Picker) =>
  w.findAll('.photo-picker__item').map((li) => li.attributes('data-status'));
const lastIds = (w: Picker) => w.emitted<[string[]]>('update:modelValue')?.at(-1)?.[0];
const lastPending = (w: Picker) => w.emitted<[number]>('pending')?.at(-1)?.[0];

describe('PhotoPicker: the camera or the album, each photo uploaded as it is picked', () => {
  let created: string[];
  let revoked: string[];

  beforeEach(() => {
    fetchMock.mockReset();
    ({ created, revoked } = trackBlobUrls());
    signedInAs(
      { id: 'u1', username: 'resident-1', displayName: '王阿姨', role: 'resident' },
      'token-1',
    );
  });
  afterEach(() => {
    vi.restoreAllMocks();
    endSession();
  });

  it('offers the camera (capture) and the album (several at once), both for images, labelled', () => {
    const w = mountIn('zh-CN', PhotoPicker, { modelValue: [], label: '现场照片' }) as Picker;
    const [camera, album] = w.findAll('input[type="file"]');
    expect(camera?.attributes()).toMatchObject({ accept: 'image/*', capture: 'environment' });
    expect(camera?.attributes('multiple')).toBeUndefined();
    expect(album?.attributes('accept')).toBe('image/*');
    expect(album?.attributes('capture')).toBeUndefined();
    expect(album?.attributes('multiple')).toBeDefined();
    expect((camera?.element as HTMLInputElement).labels?.[0]?.textContent?.trim()).toBe('拍照');
    expect((album?.element as HTMLInputElement).labels?.[0]?.textContent?.trim()).toBe('从相册选');
    expect(w.text()).toContain('还没有照片，最多可加 9 张');
    w.unmount();
  });

  it('uploads each photo to POST /attachments with the token, one after the other, and keeps the ids', async () => {
    let release: () => void = () => undefined;
    fetchMock
      .mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(kept('a1')))))
      .mockResolvedValueOnce(kept('a2'));
    const w = mountIn('zh-CN', PhotoPicker, { modelValue: [], label: '现场照片' }) as Picker;
    await pick(w, [photo('manhole.jpg'), photo('路面.png')]);

    // The first is on its way, the second waits for it; both say so in words.
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(statuses(w)).toEqual(['uploading', 'waiting']);
    expect(w.findAll('.photo-picker__status').map((s) => s.text())).toEqual([
      '正在上传…',
      '等待上传',
    ]);
    expect(w.find('.photo-picker__summary').text()).toBe('已上传 0 张，最多 9 张；2 张正在上传');
    expect(lastPending(w)).toBe(2);

    const request = fetchMock.mock.calls[0]?.[0] as Request;
    expect(request.method).toBe('POST');
    expect(new URL(request.url).pathname).toBe('/api/v1/attachments');
    expect(request.headers.get('Authorization')).toBe('Bearer token-1');
    expect(request.headers.get('Content-Type')).toMatch(/^multipart\/form-data; boundary=/);
    const sent = (await request.formData()).get('file') as File;
    expect(sent.name).toBe('manhole.jpg');

    release();
    await flushPromises();
    await flushPromises();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(statuses(w)).toEqual(['done', 'done']);
    expect(lastIds(w)).toEqual(['a1', 'a2']);
    expect(lastPending(w)).toBe(0);
    expect(w.find('.photo-picker__summary').text()).toBe('已上传 2 张，最多 9 张');
    // Shown from this phone's copy until sent: a blob: URL.
    expect(w.findAll('img').map((i) => i.attributes('src'))).toEqual(created);
    w.unmount();
  });

  it('says in words why a photo was refused, keeps it out of the ids, and retries it', async () => {
    fetchMock
      .mockResolvedValueOnce(refused(415, 'ATTACHMENT.UNSUPPORTED_TYPE'))
      .mockResolvedValueOnce(kept('a3'));
    const w = mountIn('zh-CN', PhotoPicker, { modelValue: [], label: '照片' }) as Picker;
    await pick(w, [photo('setup.exe.jpg')], 0);
    expect(statuses(w)).toEqual(['failed']);
    expect(w.find('.photo-picker__item').text()).toContain('没传上去');
    expect(w.find('.photo-picker__problem').text()).toBe(
      '不是照片：只收 JPEG、PNG、WebP、HEIC 格式',
    );
    expect(w.find('.photo-picker__summary').text()).toBe('已上传 0 张，最多 9 张；1 张没传上去');
    expect(lastIds(w)).toEqual([]);
    expect(lastPending(w)).toBe(1);

    await w.find('.photo-picker__item button').trigger('click');
    await flushPromises();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(statuses(w)).toEqual(['done']);
    expect(lastIds(w)).toEqual(['a3']);
    expect(lastPending(w)).toBe(0);
    w.unmount();
  });

  it('a network failure and a photo too large for the API are said too', async () => {
    fetchMock
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(refused(413, 'ATTACHMENT.TOO_LARGE'));
    const w = mountIn('en', PhotoPicker, { modelValue: [], label: 'Photos' }) as Picker;
    await pick(w, [photo('a.jpg'), photo('b.jpg')]);
    expect(w.findAll('.photo-picker__problem').map((p) => p.text())).toEqual([
      expect.stringMatching(/connection/i),
      'The photo is larger than allowed',
    ]);
    expect(w.find('.photo-picker__summary').text()).toBe('0 uploaded, up to 9; 2 not uploaded');
    w.unmount();
  });

  it('takes no more than the limit and nothing over 10 MB, and says so', async () => {
    fetchMock.mockImplementation(async () => kept(`id-${fetchMock.mock.calls.length}`));
    const w = mountIn('zh-CN', PhotoPicker, { modelValue: [], label: '照片', max: 2 }) as Picker;
    await pick(w, [photo('1.jpg'), photo('2.jpg'), photo('3.jpg')]);
    expect(statuses(w)).toEqual(['done', 'done']);
    expect(w.find('.photo-picker__notice').text()).toBe('最多 2 张，这次只加上了 2 张');
    // Full: no way to add more is offered.
    expect(w.findAll('input[type="file"]')).toHaveLength(0);

    await w.findAll('.photo-picker__item button')[0]?.trigger('click');
    expect(lastIds(w)).toEqual(['id-2']);
    await pick(w, [photo('大.jpg', 10 * 1024 * 1024 + 1)]);
    expect(w.find('.photo-picker__notice').text()).toBe('大.jpg 超过 10 MB，没有加上');
    expect(statuses(w)).toEqual(['done']);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    w.unmount();
  });

  it('lets go of each photo’s blob: URL when it is removed, and of all of them when it goes', async () => {
    fetchMock.mockImplementation(async () => kept(`id-${fetchMock.mock.calls.length}`));
    const w = mountIn('zh-CN', PhotoPicker, { modelValue: [], label: '照片' }) as Picker;
    await pick(w, [photo('1.jpg'), photo('2.jpg'), photo('3.jpg')]);
    await w.find('button[aria-label="删除第 2 张照片"]').trigger('click');
    expect(revoked).toEqual([created[1]]);
    expect(lastIds(w)).toEqual(['id-1', 'id-3']);
    w.unmount();
    expect(revoked.sort()).toEqual([...created].sort());
  });
});
