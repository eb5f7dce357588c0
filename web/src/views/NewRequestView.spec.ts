import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import { phoneAt } from '../test/geolocation';
import { mountIn } from '../test/mount';
import NewRequestView from './NewRequestView.vue';

const push = vi.hoisted(() => vi.fn());
vi.mock('vue-router', () => ({ useRouter: () => ({ push }) }));
vi.mock('../api/reference-data', () => ({
  categories: vi.fn(async () => [
    {
      code: 'roads',
      name: '道路交通',
      nameEn: 'Roads',
      active: true,
      evidenceRequired: false,
    },
  ]),
}));

const created = (body: Record<string, unknown>) => ({
  data: { id: 'r1', reference: 'XX-2026-000042', ...body },
  response: new Response(null, { status: 201 }),
});
const outside = {
  error: {
    code: 'REQUEST.POINT_OUTSIDE_AREA',
    status: 422,
    detail: 'The point is 812.4 km from the centre of 咸祥镇, which reaches 10.0 km',
  },
  response: new Response(null, { status: 422 }),
};

type View = VueWrapper<InstanceType<typeof NewRequestView>>;

/**
 * The form mounted and filled in as a resident would: title, details, category and the address
 * in words; `locate` presses "use my location" too.
 */
async function filledIn(location: string, locate: boolean): Promise<View> {
  const w = mountIn('zh-CN', NewRequestView, { mode: 'resident' }) as View;
  await flushPromises();
  await w.find('input[name="title"]').setValue('学校门口路灯不亮');
  await w.find('textarea[name="description"]').setValue('晚上南门一片漆黑。');
  await w.find('input[name="category"]').trigger('click');
  await flushPromises();
  const roads = [...document.body.querySelectorAll<HTMLElement>('.van-action-sheet__item')].find(
    (b) => b.textContent?.includes('道路交通'),
  );
  roads?.click();
  await w.find('input[name="location"]').setValue(location);
  if (locate) await w.find('[data-locate]').trigger('click');
  await flushPromises();
  return w;
}

async function submit(w: View): Promise<void> {
  await w.find('form').trigger('submit');
  await flushPromises();
}

/** What the form sent with its n-th POST: the body and the Idempotency-Key. */
function sent(post: ReturnType<typeof vi.spyOn>, n: number) {
  const init = post.mock.calls[n]?.[1] as unknown as {
    body: Record<string, unknown>;
    params: { header: Record<string, string> };
  };
  return { body: init.body, key: init.params.header['Idempotency-Key'] };
}

describe('the submit form: the place from the phone or in words', () => {
  beforeEach(() => push.mockReset());
  afterEach(() => {
    delete (navigator as { geolocation?: unknown }).geolocation;
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('sends the phone’s fix as a WGS-84 point with the typed address', async () => {
    phoneAt(29.7352, 121.7461);
    const post = vi.spyOn(api, 'POST').mockResolvedValue(created({}) as never);
    const w = await filledIn(' 咸一村小学南门 ', true);
    await submit(w);
    expect(sent(post, 0).body).toMatchObject({
      title: '学校门口路灯不亮',
      category: 'roads',
      location: '咸一村小学南门',
      point: { latitude: 29.7352, longitude: 121.7461, coordinateSystem: 'wgs84' },
    });
    expect(push).toHaveBeenCalledWith({ name: 'request', params: { id: 'r1' } });
    w.unmount();
  });

  it('without a fix it sends no point: the address alone will do', async () => {
    const post = vi.spyOn(api, 'POST').mockResolvedValue(created({}) as never);
    const w = await filledIn('咸一村小学南门', false);
    await submit(w);
    expect(sent(post, 0).body).not.toHaveProperty('point');
    expect(sent(post, 0).body).toMatchObject({ location: '咸一村小学南门' });
    w.unmount();
  });

  it('a point outside the town (422) is said next to the place; removed, the request goes without it', async () => {
    phoneAt(31.2304, 121.4737);
    const post = vi
      .spyOn(api, 'POST')
      .mockResolvedValueOnce(outside as never)
      .mockResolvedValueOnce(created({}) as never);
    const w = await filledIn('咸一村小学南门', true);
    await submit(w);
    expect(push).not.toHaveBeenCalled();
    const alert = w.find('.place [role="alert"]');
    expect(alert.text()).toContain('这个位置不在本镇范围内');
    expect(alert.text()).toContain('去掉定位后再提交');

    await w.find('[data-unlocate]').trigger('click');
    expect(w.find('.place [role="alert"]').exists()).toBe(false);
    await submit(w);
    expect(post).toHaveBeenCalledTimes(2);
    expect(sent(post, 1).body).not.toHaveProperty('point');
    expect(sent(post, 1).body).toMatchObject({ location: '咸一村小学南门' });
    // The same filing: a retry after the refusal keeps its Idempotency-Key.
    expect(sent(post, 1).key).toBe(sent(post, 0).key);
    expect(push).toHaveBeenCalledWith({ name: 'request', params: { id: 'r1' } });
    w.unmount();
  });
});
