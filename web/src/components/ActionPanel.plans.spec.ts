import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, type RequestDto } from '../api/client';
import { mountIn } from '../test/mount';
import ActionPanel from './ActionPanel.vue';

vi.mock('../api/reference-data', () => ({
  unitsOfType: vi.fn(async () => []),
  categories: vi.fn(async () => [
    {
      id: 'c1',
      code: 'sanitation',
      name: '环境卫生',
      nameEn: 'Sanitation',
      active: true,
      evidenceRequired: true,
    },
    {
      id: 'c2',
      code: 'other',
      name: '其他',
      nameEn: 'Other',
      active: true,
      evidenceRequired: false,
    },
  ]),
}));

const PLAN = {
  done: 1,
  endsAt: '2099-09-30T09:30:00Z',
  milestones: [
    { number: 1, name: '立项', dueAt: '2099-03-31T09:30:00Z', status: 'done', late: false },
    {
      number: 2,
      name: '初步设计评审',
      dueAt: '2099-04-30T09:30:00Z',
      status: 'current',
      late: false,
    },
    { number: 3, name: '竣工', dueAt: '2099-09-30T09:30:00Z', status: 'upcoming', late: false },
  ],
};

const request = (allowedEvents: string[], category = 'sanitation') =>
  ({
    id: 'r1',
    version: 7,
    branch: { id: 'b1' },
    category: { id: 'c', code: category, name: category === 'sanitation' ? '环境卫生' : '其他' },
    plan: PLAN,
    allowedEvents,
  }) as unknown as RequestDto;

const ok = () => ({
  data: { id: 'r1', version: 8, allowedEvents: [] },
  response: new Response(null, { status: 200 }),
});
const refusal = (
  status: number,
  code: string,
  errors: { field: string; messages: string[] }[],
) => ({
  error: { code, status, detail: code, errors },
  response: new Response(null, { status }),
});

const form = () => document.body.querySelector<HTMLFormElement>('form[data-form]');
const row = (n: number) => form()?.querySelector(`[data-row="${n}"]`) ?? null;
const errorsOf = (el: Element | null) =>
  [...(el?.querySelectorAll('.van-field__error-message') ?? [])].map((e) => e.textContent?.trim());

async function type(el: Element | null | undefined, value: string): Promise<void> {
  const input = el as HTMLInputElement | HTMLTextAreaElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await flushPromises();
}
async function submit(): Promise<void> {
  form()?.dispatchEvent(new Event('submit'));
  await flushPromises();
}
async function open(w: ReturnType<typeof mountIn>, action: string): Promise<void> {
  await w.find(`[data-action="${action}"]`).trigger('click');
  await flushPromises();
}
async function fillRow(n: number, name: string, due: string): Promise<void> {
  await type(row(n)?.querySelector('input[name$=".name"]'), name);
  await type(row(n)?.querySelector('input[type="date"]'), due);
}
const click = async (el: Element | null | undefined) => {
  (el as HTMLElement).click();
  await flushPromises();
};

describe('ActionPanel: plans and photos', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('PROPOSE_PLAN: rows added and removed, names and rising dates checked before anything is sent', async () => {
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok() as never);
    const w = mountIn('zh-CN', ActionPanel, { request: request(['PROPOSE_PLAN']) });
    await open(w, 'PROPOSE_PLAN');
    expect(form()?.querySelectorAll('[data-row]').length).toBe(1);
    // The only row cannot be removed.
    expect(row(1)?.querySelector('button')?.disabled).toBe(true);
    const add = [...(form()?.querySelectorAll('button') ?? [])].find((b) =>
      b.textContent?.includes('添加节点'),
    );
    await click(add);
    await click(add);
    await click(add);
    expect(form()?.querySelectorAll('[data-row]').length).toBe(4);
    await click(row(4)?.querySelector('button'));
    expect(form()?.querySelectorAll('[data-row]').length).toBe(3);
    expect(row(2)?.getAttribute('aria-label')).toBe('第 2 个节点');

    await fillRow(1, '立项', '2099-03-31');
    await fillRow(2, '初步设计评审', '2099-03-01');
    await fillRow(3, ' ', '2000-01-01');
    await type(
      form()?.querySelector('textarea[name="reason"]'),
      '断头路改造要走立项、设计、招投标',
    );
    await submit();
    expect(post).not.toHaveBeenCalled();
    expect(errorsOf(row(1))).toEqual([]);
    expect(errorsOf(row(2))).toEqual(['须晚于上一个节点的日期']);
    expect(errorsOf(row(3))).toEqual(['必填', '不能早于今天']);

    await fillRow(2, '初步设计评审', '2099-04-30');
    await fillRow(3, '竣工', '2099-09-30');
    expect(errorsOf(form())).toEqual([]);
    await submit();
    expect(post).toHaveBeenCalledWith('/api/v1/requests/{id}/events', {
      params: { path: { id: 'r1' }, header: { 'If-Match': '"7"' } },
      body: {
        type: 'PROPOSE_PLAN',
        milestones: [
          { name: '立项', due: '2099-03-31' },
          { name: '初步设计评审', due: '2099-04-30' },
          { name: '竣工', due: '2099-09-30' },
        ],
        reason: '断头路改造要走立项、设计、招投标',
      },
    });
    w.unmount();
  });

  it('PROPOSE_PLAN: what the API refuses is said under the field it names, until it is changed', async () => {
    vi.spyOn(api, 'POST').mockResolvedValue(
      refusal(400, 'VALIDATION.FAILED', [
        {
          field: 'milestones[1].due',
          messages: ['milestones[1].due: 2099-10-03 is not a working day in the working calendar'],
        },
      ]) as never,
    );
    const w = mountIn('zh-CN', ActionPanel, { request: request(['PROPOSE_PLAN']) });
    await open(w, 'PROPOSE_PLAN');
    await fillRow(1, '立项', '2099-09-30');
    await click(
      [...(form()?.querySelectorAll('button') ?? [])].find((b) =>
        b.textContent?.includes('添加节点'),
      ),
    );
    await fillRow(2, '竣工', '2099-10-03');
    await type(form()?.querySelector('textarea[name="reason"]'), '工程');
    await submit();
    expect(errorsOf(row(1))).toEqual([]);
    expect(errorsOf(row(2))).toEqual(['这天不是工作日，请换一天']);
    await fillRow(2, '竣工', '2099-10-09');
    expect(errorsOf(row(2))).toEqual([]);
    w.unmount();
  });

  it('DECIDE_PLAN: approve or refuse, neither picked for the supervisor; a refusal needs its reason', async () => {
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok() as never);
    const w = mountIn('zh-CN', ActionPanel, { request: request(['DECIDE_PLAN', 'COMMENT']) });
    await open(w, 'DECIDE_PLAN');
    expect(form()?.querySelector('[role="radiogroup"]')?.getAttribute('aria-label')).toBe(
      '审批意见',
    );
    await submit();
    expect(post).not.toHaveBeenCalled();
    expect(errorsOf(form())).toEqual(['必填']);

    await click(form()?.querySelector('[data-decision="refuse"]'));
    await submit();
    expect(post).not.toHaveBeenCalled();
    expect(errorsOf(form())).toEqual(['必填']);
    expect(form()?.textContent).toContain('不批准的原因（不批准时必填）');

    await click(form()?.querySelector('[data-decision="approve"]'));
    await submit();
    expect(post).toHaveBeenCalledWith('/api/v1/requests/{id}/events', {
      params: { path: { id: 'r1' }, header: { 'If-Match': '"7"' } },
      body: { type: 'DECIDE_PLAN', approve: true },
    });
    w.unmount();
  });

  it('MILESTONE_DONE: names the next milestone of the plan and asks what was done', async () => {
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok() as never);
    const w = mountIn('zh-CN', ActionPanel, { request: request(['MILESTONE_DONE']) });
    await open(w, 'MILESTONE_DONE');
    expect(form()?.querySelector('[data-next-milestone]')?.textContent).toContain(
      '2. 初步设计评审',
    );
    await type(form()?.querySelector('textarea[name="note"]'), '评审会通过');
    await submit();
    expect(post).toHaveBeenCalledWith('/api/v1/requests/{id}/events', {
      params: { path: { id: 'r1' }, header: { 'If-Match': '"7"' } },
      body: { type: 'MILESTONE_DONE', milestone: 2, note: '评审会通过' },
    });
    w.unmount();
  });

  it('RESOLVE: a category that requires evidence says so up front and sends nothing without a photo', async () => {
    const post = vi.spyOn(api, 'POST').mockResolvedValue(ok() as never);
    const w = mountIn('zh-CN', ActionPanel, { request: request(['RESOLVE']) });
    await open(w, 'RESOLVE');
    expect(form()?.querySelector('[data-evidence-required]')?.textContent?.trim()).toBe(
      '“环境卫生”类诉求办结时必须上传办理后的照片（至少 1 张）',
    );
    expect(form()?.querySelector('.photo-picker__label')?.textContent?.replace(/\s+/g, '')).toBe(
      '办理后的照片（必填）',
    );
    await type(form()?.querySelector('textarea[name="resolution"]'), '垃圾已清运');
    await submit();
    expect(post).not.toHaveBeenCalled();
    expect(form()?.querySelector('.photo-picker__error')?.textContent?.trim()).toBe(
      '请至少上传 1 张办理后的照片',
    );
    w.unmount();
  });

  it('RESOLVE: the API’s evidence refusal is said under the photos', async () => {
    vi.spyOn(api, 'POST').mockResolvedValue(
      refusal(422, 'REQUEST.EVIDENCE_REQUIRED', [
        { field: 'attachmentIds', messages: ['其他 (other) needs a photo of the work done'] },
      ]) as never,
    );
    const w = mountIn('zh-CN', ActionPanel, { request: request(['RESOLVE'], 'other') });
    await open(w, 'RESOLVE');
    expect(form()?.querySelector('[data-evidence-required]')).toBeNull();
    expect(form()?.querySelector('.photo-picker')?.textContent).not.toContain('必填');
    await type(form()?.querySelector('textarea[name="resolution"]'), '已处理');
    await submit();
    expect(form()?.querySelector('.photo-picker__error')?.textContent?.trim()).toBe(
      '这类诉求办结时必须附上办理后的照片，请先上传照片',
    );
    expect(w.emitted('stale')).toHaveLength(1);
    w.unmount();
  });
});
