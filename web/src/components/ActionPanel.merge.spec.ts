import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, type PossibleDuplicate, type RequestDto } from '../api/client';
import { setLocale } from '../i18n';
import { mountIn } from '../test/mount';
import { errorText } from '../ui/feedback';
import ActionPanel from './ActionPanel.vue';

vi.mock('../api/reference-data', () => ({
  unitsOfType: vi.fn(async () => []),
  categories: vi.fn(async () => []),
}));

const NEAR: PossibleDuplicate = {
  id: 'r-original',
  reference: 'XC-2026-000041',
  title: '东村小学门口路灯不亮',
  state: 'accepted',
  branch: { id: 'b1', code: 'branch-1', name: '东村' },
  createdAt: '2026-11-30T02:00:00Z',
  reasons: ['nearby', 'similarTitle'],
  distanceM: 38.4,
  titleSimilarity: 0.73,
} as PossibleDuplicate;

const request = (possibleDuplicates: PossibleDuplicate[]) =>
  ({
    id: 'r-dup',
    version: 2,
    branch: { id: 'b1' },
    allowedEvents: ['ACCEPT', 'MERGE', 'REJECT'],
    possibleDuplicates,
  }) as unknown as RequestDto;

const form = () => document.body.querySelector('form[data-form="MERGE"]');
const submit = async () => {
  form()?.dispatchEvent(new Event('submit'));
  await flushPromises();
};
const typeReference = async (value: string) => {
  const input = form()?.querySelector<HTMLInputElement>('input[name="intoRequestReference"]');
  if (!input) throw new Error('no reference input');
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await flushPromises();
};
const ok = () =>
  vi.spyOn(api, 'POST').mockResolvedValue({
    data: { id: 'r-dup', version: 3, allowedEvents: [] },
    response: new Response(null, { status: 200 }),
  } as never);

describe('ActionPanel: merging a duplicate into its original', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('offers the possible duplicates with why they look alike, and sends the one picked', async () => {
    const post = ok();
    const w = mountIn('zh-CN', ActionPanel, { request: request([NEAR]) });
    await w.find('[data-action="MERGE"]').trigger('click');
    await flushPromises();
    const choice = form()?.querySelector<HTMLElement>('[data-candidate="XC-2026-000041"]');
    expect(choice?.textContent).toContain('东村小学门口路灯不亮');
    expect(choice?.textContent).toContain('相距约 38 米');
    expect(choice?.textContent).toContain('标题相近（73%）');

    await submit();
    expect(post).not.toHaveBeenCalled();
    expect(form()?.textContent).toContain('必填');

    choice?.click();
    await flushPromises();
    await submit();
    expect(post).toHaveBeenCalledWith('/api/v1/requests/{id}/events', {
      params: { path: { id: 'r-dup' }, header: { 'If-Match': '"2"' } },
      body: { type: 'MERGE', intoRequestId: 'r-original' },
    });
    w.unmount();
  });

  it('takes a reference number typed by hand, in capitals, when nothing alike was found', async () => {
    const post = ok();
    const w = mountIn('en', ActionPanel, { request: request([]) });
    await w.find('[data-action="MERGE"]').trigger('click');
    await flushPromises();
    expect(form()?.querySelector('[data-no-candidates]')).not.toBeNull();
    const input = form()?.querySelector('input[name="intoRequestReference"]');
    expect(form()?.querySelector(`label[for="${input?.id}"]`)?.textContent).toContain(
      'Reference number of the original',
    );
    await typeReference(' xc-2026-000007 ');
    const note = form()?.querySelector<HTMLTextAreaElement>('textarea[name="note"]');
    if (!note) throw new Error('no note');
    note.value = '同一处';
    note.dispatchEvent(new Event('input'));
    await submit();
    expect(post).toHaveBeenCalledWith('/api/v1/requests/{id}/events', {
      params: { path: { id: 'r-dup' }, header: { 'If-Match': '"2"' } },
      body: { type: 'MERGE', intoRequestId: 'XC-2026-000007', note: '同一处' },
    });
    w.unmount();
  });

  it('says a typed number was not found under the field, and keeps the form open', async () => {
    vi.spyOn(api, 'POST').mockResolvedValue({
      error: { code: 'REQUEST.NOT_FOUND', detail: 'not found', status: 404 },
      response: new Response(null, { status: 404 }),
    } as never);
    const w = mountIn('zh-CN', ActionPanel, { request: request([NEAR]) });
    await w.find('[data-action="MERGE"]').trigger('click');
    await flushPromises();
    await typeReference('XC-2099-000001');
    expect(form()?.querySelector('[role="radio"][aria-checked="true"]')).toBeNull();
    await submit();
    expect(form()?.textContent).toContain('没有找到这个编号的诉求');
    expect(w.emitted('stale')).toBeUndefined();
    w.unmount();
  });

  it('names an original that is no longer open, or the request itself, in words of its own', () => {
    setLocale('zh-CN');
    expect(errorText(new ApiError(409, 'REQUEST.MERGE_TARGET_NOT_OPEN', 'closed'))).toContain(
      '原诉求已办结、关闭或撤回',
    );
    expect(errorText(new ApiError(400, 'REQUEST.MERGE_INTO_ITSELF', 'itself'))).toBe(
      '不能合并到本诉求自己',
    );
    expect(errorText(new ApiError(409, 'REQUEST.MERGE_CYCLE', 'cycle'))).toContain('不能反过来');
  });
});
