import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Attachment } from '../api/client';
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

const { default: PhotoGallery } = await import('./PhotoGallery.vue');

const photo = (id: string): Attachment => ({
  id,
  mediaType: 'image/jpeg',
  byteSize: 1000,
  width: 800,
  height: 600,
  role: 'before',
  eventSeq: 1,
  uploadedAt: '2026-03-02T01:00:00Z',
  contentUrl: `/api/v1/attachments/${id}/content`,
  thumbnailUrl: `/api/v1/attachments/${id}/thumbnail`,
});

const paths = () => fetchMock.mock.calls.map(([r]) => new URL(r.url).pathname);

describe('PhotoGallery: photos fetched with the token, shown from blob: URLs, full size on a tap', () => {
  let revoked: string[];

  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation(async (request) =>
      new URL(request.url).pathname.includes('missing')
        ? new Response(JSON.stringify({ code: 'ATTACHMENT.NOT_FOUND', status: 404 }), {
            status: 404,
            headers: { 'Content-Type': 'application/problem+json' },
          })
        : new Response(new Blob([new Uint8Array(8)], { type: 'image/jpeg' }), {
            status: 200,
            headers: { 'Content-Type': 'image/jpeg' },
          }),
    );
    ({ revoked } = trackBlobUrls());
    signedInAs(
      { id: 'u9', username: 'secretary-1', displayName: '张书记', role: 'secretary' },
      'token-9',
    );
  });
  afterEach(() => {
    vi.restoreAllMocks();
    endSession();
    document.body.innerHTML = '';
  });

  it('loads each thumbnail with the bearer token and shows it from a blob: URL', async () => {
    const w = mountIn('zh-CN', PhotoGallery, {
      photos: [photo('p1'), photo('p2')],
      label: '反映时的照片',
    });
    await flushPromises();
    expect(paths()).toEqual([
      '/api/v1/attachments/p1/thumbnail',
      '/api/v1/attachments/p2/thumbnail',
    ]);
    for (const [request] of fetchMock.mock.calls)
      expect(request.headers.get('Authorization')).toBe('Bearer token-9');
    expect(w.findAll('img').map((i) => i.attributes('src'))).toEqual([
      'blob:test/1',
      'blob:test/2',
    ]);
    expect(w.find('h3').text()).toBe('反映时的照片');
    expect(w.findAll('button').map((b) => b.attributes('aria-label'))).toEqual([
      '反映时的照片第 1 张，共 2 张，点开看大图',
      '反映时的照片第 2 张，共 2 张，点开看大图',
    ]);
    w.unmount();
  });

  it('a tap loads that photo full size and shows it over the page', async () => {
    const w = mountIn('zh-CN', PhotoGallery, {
      photos: [photo('p1'), photo('p2')],
      label: '办理后的照片',
    });
    await flushPromises();
    await w.findAll('button')[1]?.trigger('click');
    await flushPromises();
    expect(paths().at(-1)).toBe('/api/v1/attachments/p2/content');
    const preview = document.body.querySelector('.van-image-preview');
    expect(preview).not.toBeNull();
    expect(preview?.textContent).toContain('2 / 2');
    const shown = [...(preview?.querySelectorAll('img') ?? [])].map((i) => i.getAttribute('src'));
    // The photo tapped full size, the other one its thumbnail until it is swiped to.
    expect(shown).toEqual(['blob:test/1', 'blob:test/3']);
    expect(
      document.body.querySelector('.van-image-preview__overlay')?.getAttribute('aria-label'),
    ).toBe('关闭大图');
    w.unmount();
  });

  it('says a photo cannot be shown instead of showing nothing', async () => {
    const w = mountIn('en', PhotoGallery, { photos: [photo('missing')], label: 'Photos' });
    await flushPromises();
    expect(w.find('button').text()).toBe('Photo not available');
    w.unmount();
  });

  it('lets go of the blob: URLs of photos that leave and of all when it goes', async () => {
    const w = mountIn('zh-CN', PhotoGallery, {
      photos: [photo('p1'), photo('p2')],
      label: '照片',
    });
    await flushPromises();
    await w.setProps({ photos: [photo('p2')] });
    expect(revoked).toEqual(['blob:test/1']);
    w.unmount();
    expect(revoked).toEqual(['blob:test/1', 'blob:test/2']);
  });

  it('shows nothing at all when there is no photo', () => {
    const w = mountIn('zh-CN', PhotoGallery, { photos: [], label: '照片' });
    expect(w.html()).toBe('<!--v-if-->');
    expect(fetchMock).not.toHaveBeenCalled();
    w.unmount();
  });
});
