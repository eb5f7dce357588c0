import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { phone } from '../test/geolocation';
import { mountIn } from '../test/mount';
import type { Fix } from '../ui/geolocation';
import PlaceFields from './PlaceFields.vue';

type Place = VueWrapper<InstanceType<typeof PlaceFields>>;

/** Mounted with its v-models wired back, as a form would hold them. */
function mountPlace(locale: 'zh-CN' | 'en' = 'zh-CN', props: Record<string, unknown> = {}): Place {
  const w: Place = mountIn(locale, PlaceFields, {
    location: '',
    point: null,
    ...props,
    'onUpdate:point': (fix: Fix | null) => w.setProps({ point: fix }),
    'onUpdate:location': (text: string) => w.setProps({ location: text }),
  }) as Place;
  return w;
}

async function locate(w: Place): Promise<void> {
  await w.find('[data-locate]').trigger('click');
  await flushPromises();
}

const HERE = { coords: { latitude: 29.7352, longitude: 121.7461, accuracy: 14.6 } };

describe('PlaceFields: the phone’s position, or the address in words', () => {
  afterEach(() => {
    delete (navigator as { geolocation?: unknown }).geolocation;
    vi.unstubAllGlobals();
  });

  it('a fix fills the point (high accuracy, 10 s) and shows it plainly', async () => {
    const asked = phone(HERE);
    const w = mountPlace();
    expect(w.text()).toContain('写清地点，我们一样能找到');
    expect(w.find('[data-unlocate]').exists()).toBe(false);
    await locate(w);
    expect(asked.mock.calls[0]?.[2]).toEqual({
      enableHighAccuracy: true,
      timeout: 10_000,
      maximumAge: 0,
    });
    expect(w.emitted('update:point')?.at(-1)).toEqual([
      { latitude: 29.7352, longitude: 121.7461, accuracyM: 14.6 },
    ]);
    expect(w.find('[data-place-fix]').text()).toBe('已定位：29.73520, 121.74610（精度约 15 米）');
    expect(w.find('[data-locate]').text()).toBe('重新定位');
    w.unmount();
  });

  it('the point can be removed; the address stays', async () => {
    phone(HERE);
    const w = mountPlace('en', { location: 'South gate of the school' });
    await locate(w);
    expect(w.find('[data-place-fix]').text()).toBe('Located: 29.73520, 121.74610 (to about 15 m)');
    await w.find('[data-unlocate]').trigger('click');
    expect(w.emitted('update:point')?.at(-1)).toEqual([null]);
    expect(w.find('[data-place-fix]').exists()).toBe(false);
    expect(w.find('[data-unlocate]').exists()).toBe(false);
    expect((w.find('input[name="location"]').element as HTMLInputElement).value).toBe(
      'South gate of the school',
    );
    w.unmount();
  });

  it.each([
    [1, 'zh-CN', '没有得到定位权限。可以在浏览器设置里允许定位，也可以直接写下地点。'],
    [1, 'en', 'Location permission was not given'],
    [2, 'zh-CN', '现在定不到位置'],
    [3, 'zh-CN', '10 秒内没有定到位置。请写下地点，或到开阔处再试。'],
    [3, 'en', 'No location within 10 seconds. Write the address'],
  ] as const)(
    'error code %i (%s) says what happened and sets no point',
    async (code, locale, words) => {
      phone({ code });
      const w = mountPlace(locale);
      await locate(w);
      expect(w.find('[data-place-problem]').text()).toContain(words);
      expect(w.emitted('update:point')).toBeUndefined();
      // The person can try again.
      expect(w.find('[data-locate]').attributes('disabled')).toBeUndefined();
      w.unmount();
    },
  );

  it('a fix at 0, 0 (no satellites) is no fix', async () => {
    phone({ coords: { latitude: 0, longitude: 0, accuracy: 0 } });
    const w = mountPlace();
    await locate(w);
    expect(w.find('[data-place-problem]').text()).toContain('现在定不到位置');
    expect(w.emitted('update:point')).toBeUndefined();
    w.unmount();
  });

  it('a page over plain http is told why there is no location, and so is a browser without one', async () => {
    const asked = phone(HERE);
    vi.stubGlobal('isSecureContext', false);
    const w = mountPlace();
    await locate(w);
    expect(asked).not.toHaveBeenCalled();
    expect(w.find('[data-place-problem]').text()).toContain('不是安全连接（https）');
    vi.unstubAllGlobals();
    Object.defineProperty(navigator, 'geolocation', { configurable: true, get: () => null });
    await locate(w);
    expect(w.find('[data-place-problem]').text()).toContain('这个浏览器不能定位');
    w.unmount();
  });

  it('a secretary is reminded that the phone is where they stand', () => {
    const w = mountPlace('zh-CN', { mode: 'record' });
    expect(w.text()).toContain('人在问题现场时才用');
    w.unmount();
  });

  it('the API’s refusal is shown beside the point, as an alert', async () => {
    phone(HERE);
    const w = mountPlace();
    await locate(w);
    await w.setProps({ error: '这个位置不在本镇范围内' });
    expect(w.find('[role="alert"][data-place-error]').text()).toBe('这个位置不在本镇范围内');
    expect(w.find('[data-unlocate]').exists()).toBe(true);
    w.unmount();
  });
});
