import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { areaProblems } from '../../admin/units';
import { mountIn } from '../../test/mount';
import UnitsView from './UnitsView.vue';

const unit = (over: Record<string, unknown>) => ({
  parentId: null,
  refPrefix: null,
  contactLeaderId: null,
  area: null,
  ...over,
});
const UNITS = [
  unit({ id: 'c', code: 'yinzhou', name: '鄞州区', type: 'county' }),
  unit({
    id: 't',
    code: 'xianxiang',
    name: '咸祥镇',
    type: 'town',
    parentId: 'c',
    refPrefix: 'XX',
  }),
  unit({
    id: 't2',
    code: 'qiucun',
    name: '邱村镇',
    type: 'town',
    parentId: 'c',
    refPrefix: 'QC',
    area: { latitude: 29.70012345678, longitude: 121.6, radiusM: 8000 },
  }),
  unit({ id: 'b1', code: 'branch-1', name: '咸一村', type: 'branch', parentId: 't' }),
  unit({
    id: 'b2',
    code: 'branch-2',
    name: '咸二村',
    type: 'branch',
    parentId: 't',
    contactLeaderId: 'u-town',
  }),
  unit({ id: 'd', code: 'dept-roads', name: '交通办', type: 'department', parentId: 't' }),
];
const user = (id: string, displayName: string, role: string, unitId: string, active = true) => ({
  id,
  username: id,
  displayName,
  role,
  unitId,
  active,
  phone: null,
});
const STAFF: Record<string, unknown[]> = {
  c: [
    user('u-county', '区督查室', 'supervisor', 'c'),
    user('u-gone', '已调走的人', 'supervisor', 'c', false),
  ],
  t: [user('u-town', '镇督查办', 'supervisor', 't'), user('u-disp', '镇党委办', 'dispatcher', 't')],
  t2: [user('u-other', '邱村镇督查办', 'supervisor', 't2')],
};

const calls = vi.hoisted(() => ({
  sent: [] as { method: string; path: string; body: unknown }[],
  refuse: null as null | { status: number; problem: unknown },
}));

vi.mock('vue-router', () => ({ useRouter: () => ({}) }));
vi.mock('../../api/client', async (original) => {
  const ok = () => new Response(null, { status: 200 });
  const change = (method: string) =>
    vi.fn(async (path: string, init: { body: unknown }) => {
      calls.sent.push({ method, path, body: init.body });
      if (calls.refuse) {
        return {
          error: calls.refuse.problem,
          response: new Response(null, { status: calls.refuse.status }),
        };
      }
      return { data: { ...(init.body as object), id: 'new' }, response: ok() };
    });
  return {
    ...(await original<typeof import('../../api/client')>()),
    api: {
      GET: vi.fn(async (path: string, init?: { params: { query: { unitId: string } } }) =>
        path === '/api/v1/units'
          ? { data: UNITS, response: ok() }
          : { data: STAFF[init?.params.query.unitId ?? ''] ?? [], response: ok() },
      ),
      PATCH: change('PATCH'),
      POST: change('POST'),
    },
  };
});

const body = () => document.body;
const sheet = () => body().querySelector('form.sheet') as HTMLFormElement;
const field = (name: string) => sheet().querySelector(`input[name="${name}"]`) as HTMLInputElement;
const errors = () =>
  [...sheet().querySelectorAll('.van-field__error-message')].map((e) => e.textContent?.trim());

async function type(name: string, value: string): Promise<void> {
  const input = field(name);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await flushPromises();
}

async function click(el: Element | null | undefined): Promise<void> {
  expect(el).toBeTruthy();
  (el as HTMLElement).click();
  await flushPromises();
}

async function submit(): Promise<void> {
  sheet().dispatchEvent(new Event('submit'));
  await flushPromises();
}

async function open(code: string) {
  const w = mountIn('zh-CN', UnitsView, {});
  await flushPromises();
  if (code) await w.find(`[data-unit="${code}"]`).trigger('click');
  await flushPromises();
  return w;
}

const labelled = (label: string) =>
  [...sheet().querySelectorAll('.van-field')]
    .find((f) => f.querySelector('.van-field__label')?.textContent?.trim() === label)
    ?.querySelector('input') as HTMLInputElement;
const leaderInput = () => labelled('包联领导');

/** The action sheet of a picker, opened from the field with this label. */
async function pick(label: string, option: string): Promise<void> {
  await click(labelled(label));
  const actions = [...body().querySelectorAll('.van-action-sheet__item')];
  await click(actions.find((a) => a.textContent?.trim() === option));
}

describe('UnitsView: a branch’s contact leader and a town’s area', () => {
  beforeEach(() => {
    calls.sent = [];
    calls.refuse = null;
  });
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists each branch’s contact leader by name and each town’s area', async () => {
    const w = await open('');
    const detail = (code: string) => w.find(`[data-unit="${code}"] [data-detail]`);
    expect(detail('branch-2').text()).toBe('包联领导：镇督查办');
    expect(detail('branch-1').text()).toBe('未设包联领导');
    expect(detail('xianxiang').text()).toBe('未设范围');
    expect(detail('qiucun').text()).toBe('范围：中心 29.700123, 121.6（GPS），半径 8000 米');
    expect(detail('dept-roads').exists()).toBe(false);
    w.unmount();
  });

  it('offers only active staff of the town and county above, and sets the one picked', async () => {
    const w = await open('branch-1');
    await click(leaderInput());
    const offered = [...body().querySelectorAll('.van-action-sheet__item')].map((a) =>
      a.textContent?.trim(),
    );
    expect(offered).toEqual([
      '区督查室 · 鄞州区 · 督办人员',
      '镇党委办 · 咸祥镇 · 镇派单员',
      '镇督查办 · 咸祥镇 · 督办人员',
    ]);
    await click(body().querySelectorAll('.van-action-sheet__item')[0]);
    await submit();
    expect(calls.sent).toEqual([
      {
        method: 'PATCH',
        path: '/api/v1/units/{id}',
        body: { name: '咸一村', contactLeaderId: 'u-county' },
      },
    ]);
    w.unmount();
  });

  it('removes a contact leader with null', async () => {
    const w = await open('branch-2');
    const leader = () => leaderInput().value;
    expect(leader()).toBe('镇督查办 · 咸祥镇 · 督办人员');
    await click(sheet().querySelector('[data-leader-remove]'));
    expect(sheet().querySelector('[data-leader-remove]')).toBeNull();
    expect(leader()).toBe('');
    expect(leaderInput().placeholder).toBe('未设包联领导');
    await submit();
    expect(calls.sent.map((c) => c.body)).toEqual([{ name: '咸二村', contactLeaderId: null }]);
    w.unmount();
  });

  it('sends no leader when it did not change', async () => {
    const w = await open('branch-2');
    await submit();
    expect(calls.sent.map((c) => c.body)).toEqual([{ name: '咸二村' }]);
    w.unmount();
  });

  it('sets a town’s area read off a Chinese map, or from GPS', async () => {
    const w = await open('xianxiang');
    expect(field('area-latitude')).toBeNull();
    await click(sheet().querySelector('[role="switch"]'));
    await type('area-latitude', '29.715');
    await type('area-longitude', '121.74');
    await type('area-radius', '10000');
    await submit();
    expect(calls.sent.map((c) => c.body)).toEqual([
      {
        name: '咸祥镇',
        refPrefix: 'XX',
        area: { latitude: 29.715, longitude: 121.74, radiusM: 10000, coordinateSystem: 'gcj02' },
      },
    ]);
    w.unmount();

    calls.sent = [];
    const again = await open('xianxiang');
    await click(sheet().querySelector('[role="switch"]'));
    await click(sheet().querySelector('[data-system="wgs84"]'));
    await type('area-latitude', '-33.86');
    await type('area-longitude', '151.2');
    await type('area-radius', '100');
    await submit();
    expect(calls.sent.map((c) => (c.body as { area: unknown }).area)).toEqual([
      { latitude: -33.86, longitude: 151.2, radiusM: 100, coordinateSystem: 'wgs84' },
    ]);
    again.unmount();
  });

  it('refuses impossible numbers under their boxes and sends nothing', async () => {
    const w = await open('xianxiang');
    await click(sheet().querySelector('[role="switch"]'));
    await type('area-latitude', '95');
    await type('area-radius', '50');
    await submit();
    expect(errors()).toEqual(['请填 -90 到 90 之间的数', '请填写', '请填 100 到 200000 之间的数']);
    await type('area-latitude', '29.7');
    await type('area-longitude', '-181');
    await type('area-radius', '250000');
    await submit();
    expect(errors()).toEqual(['请填 -180 到 180 之间的数', '请填 100 到 200000 之间的数']);
    expect(calls.sent).toEqual([]);
    w.unmount();
  });

  it('removes a town’s area with null, and does not send an area it did not change', async () => {
    const w = await open('qiucun');
    expect(field('area-latitude').value).toBe('29.700123');
    expect(sheet().querySelector('[data-system="wgs84"]')?.getAttribute('aria-checked')).toBe(
      'true',
    );
    await submit();
    expect(calls.sent.map((c) => c.body)).toEqual([{ name: '邱村镇', refPrefix: 'QC' }]);
    w.unmount();

    calls.sent = [];
    const again = await open('qiucun');
    await click(sheet().querySelector('[role="switch"]'));
    expect(field('area-latitude')).toBeNull();
    await submit();
    expect(calls.sent.map((c) => c.body)).toEqual([
      { name: '邱村镇', refPrefix: 'QC', area: null },
    ]);
    again.unmount();
  });

  it('shows the API’s words on an area box under it', async () => {
    calls.refuse = {
      status: 400,
      problem: {
        code: 'VALIDATION.FAILED',
        detail: 'area.radiusM: radiusM must not be greater than 200000',
        errors: [{ field: 'area.radiusM', messages: ['radiusM must not be greater than 200000'] }],
      },
    };
    const w = await open('qiucun');
    await type('area-radius', '9000');
    await submit();
    expect(calls.sent).toHaveLength(1);
    expect(errors()).toEqual(['radiusM must not be greater than 200000']);
    w.unmount();
  });

  it('has no area for branches and departments, nor a leader for towns', async () => {
    const w = await open('branch-1');
    expect(sheet().querySelector('[role="switch"]')).toBeNull();
    expect(field('area-latitude')).toBeNull();
    w.unmount();
    const town = await open('xianxiang');
    expect(sheet().textContent).not.toContain('包联领导');
    expect(sheet().textContent).toContain('设定乡镇范围');
    town.unmount();
    const dept = await open('dept-roads');
    expect(sheet().textContent).not.toContain('包联领导');
    expect(sheet().querySelector('[role="switch"]')).toBeNull();
    dept.unmount();
  });

  it('adds a town with an area; a new branch is asked for none', async () => {
    const w = await open('');
    await w.find('[data-add]').trigger('click');
    await flushPromises();
    await pick('类型', '村社');
    expect(sheet().querySelector('[role="switch"]')).toBeNull();
    await pick('类型', '乡镇');
    await click(sheet().querySelector('[role="switch"]'));
    await pick('上级单位', '鄞州区');
    for (const [label, value] of [
      ['代码', 'dongxiang'],
      ['名称', '东乡镇'],
      ['编号前缀', 'DX'],
    ] as const) {
      const input = labelled(label);
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    await type('area-latitude', '29.8');
    await type('area-longitude', '121.5');
    await type('area-radius', '12000');
    await submit();
    expect(calls.sent).toEqual([
      {
        method: 'POST',
        path: '/api/v1/units',
        body: {
          type: 'town',
          code: 'dongxiang',
          name: '东乡镇',
          parentId: 'c',
          refPrefix: 'DX',
          area: { latitude: 29.8, longitude: 121.5, radiusM: 12000, coordinateSystem: 'gcj02' },
        },
      },
    ]);
    w.unmount();
  });

  it('the rules of the boxes as a function', () => {
    const draft = {
      latitude: '29.7',
      longitude: '121.7',
      radiusM: '800',
      coordinateSystem: 'gcj02' as const,
    };
    expect(areaProblems(draft)).toEqual({});
    expect(areaProblems({ ...draft, latitude: '1e2', radiusM: '800.5' })).toEqual({
      latitude: 'notNumber',
      radiusM: 'notWhole',
    });
    expect(
      areaProblems({ ...draft, latitude: '90', longitude: '-180', radiusM: '200000' }),
    ).toEqual({});
  });
});
