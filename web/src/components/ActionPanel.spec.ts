import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, type RequestDto } from '../api/client';
import { mountIn } from '../test/mount';
import ActionPanel from './ActionPanel.vue';

vi.mock('../api/reference-data', () => ({
  unitsOfType: vi.fn(async (type: string) =>
    type === 'branch'
      ? [
          {
            id: 'b1',
            code: 'branch-1',
            name: '咸一村',
            type: 'branch',
            parentId: 't',
            refPrefix: null,
          },
          {
            id: 'b2',
            code: 'branch-2',
            name: '咸二村',
            type: 'branch',
            parentId: 't',
            refPrefix: null,
          },
        ]
      : [
          {
            id: 'd-roads',
            code: 'dept-roads',
            name: '交通办',
            type: 'department',
            parentId: 't',
            refPrefix: null,
          },
          {
            id: 'd-env',
            code: 'dept-environment',
            name: '环境办',
            type: 'department',
            parentId: 't',
            refPrefix: null,
          },
        ],
  ),
}));

const MEMBERS: Record<string, unknown[]> = {
  'd-roads': [
    {
      id: 'u-chen',
      username: 'roads-officer',
      displayName: '交通办陈主任',
      role: 'assignee',
      phone: '139****0005',
    },
  ],
  'd-env': [],
};

const request = (allowedEvents: string[]) =>
  ({ id: 'r1', version: 3, branch: { id: 'b1' }, allowedEvents }) as unknown as RequestDto;

const form = () => document.body.querySelector('form[data-form]');
const fieldNames = () =>
  [...(form()?.querySelectorAll('.van-field') ?? [])].map(
    (el) => el.querySelector('[name]')?.getAttribute('name') ?? el.textContent?.trim(),
  );

describe('ActionPanel: a button per allowed event, each asking only for its fields', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows only the allowed events, in words', () => {
    const w = mountIn('zh-CN', ActionPanel, {
      request: request(['ACCEPT', 'REJECT', 'RETURN', 'ESCALATE', 'COMMENT', 'DEADLINE_WARNING']),
    });
    const buttons = w.findAll('[data-action]');
    expect(buttons.map((b) => b.attributes('data-action'))).toEqual([
      'ACCEPT',
      'ESCALATE',
      'COMMENT',
      'RETURN',
      'REJECT',
    ]);
    expect(buttons[0]?.text()).toBe('受理');
    w.unmount();
  });

  it('says so when there is nothing to do', () => {
    const w = mountIn('en', ActionPanel, { request: request([]) });
    expect(w.text()).toContain('Nothing for you to do on it now');
    w.unmount();
  });

  it('RETURN asks for the right branch (other branches only) and a reason, labelled', async () => {
    const w = mountIn('zh-CN', ActionPanel, { request: request(['RETURN']) });
    await w.find('[data-action="RETURN"]').trigger('click');
    await flushPromises();
    expect(form()?.getAttribute('data-form')).toBe('RETURN');
    const units = [...(form()?.querySelectorAll('[data-unit]') ?? [])].map((el) =>
      el.getAttribute('data-unit'),
    );
    expect(units).toEqual(['branch-2']);
    expect(form()?.querySelector('[role="radiogroup"]')?.getAttribute('aria-label')).toBe(
      '应属村社',
    );
    const reason = form()?.querySelector('textarea[name="reason"]');
    expect(reason).not.toBeNull();
    expect(form()?.querySelector(`label[for="${reason?.id}"]`)?.textContent).toContain('原因');
    expect(form()?.querySelectorAll('textarea, input:not([type="radio"])').length).toBe(1);
    w.unmount();
  });

  it('CONFIRM asks for stars and an optional comment, and refuses to send without stars', async () => {
    const w = mountIn('en', ActionPanel, { request: request(['CONFIRM', 'DISPUTE']) });
    await w.find('[data-action="CONFIRM"]').trigger('click');
    await flushPromises();
    expect(form()?.querySelector('[role="radiogroup"]')?.getAttribute('aria-label')).toBe(
      'How satisfied are you',
    );
    expect(form()?.querySelectorAll('[role="radio"]').length).toBe(5);
    expect(form()?.querySelector('textarea[name="comment"]')).not.toBeNull();
    form()?.dispatchEvent(new Event('submit'));
    await flushPromises();
    expect(form()?.textContent).toContain('required');
    expect(fieldNames().length).toBe(2);
    w.unmount();
  });

  it('ASSIGN goes to a department, and to a named cadre picked from its members', async () => {
    const get = vi.spyOn(api, 'GET').mockImplementation((async (
      _path: string,
      init: { params: { path: { id: string } } },
    ) => ({
      data: MEMBERS[init.params.path.id],
      response: new Response(null, { status: 200 }),
    })) as never);
    const post = vi.spyOn(api, 'POST').mockResolvedValue({
      data: { id: 'r1', version: 4, allowedEvents: [] },
      response: new Response(null, { status: 200 }),
    } as never);
    const w = mountIn('zh-CN', ActionPanel, { request: request(['ASSIGN']) });
    await w.find('[data-action="ASSIGN"]').trigger('click');
    await flushPromises();
    expect(form()?.textContent).toContain('先选承办单位，再选负责人');
    const unit = (code: string) =>
      form()?.querySelector<HTMLElement>(`[data-unit="${code}"]`) ?? null;
    expect(
      [...(form()?.querySelectorAll('[data-unit]') ?? [])].map((u) => u.textContent?.trim()),
    ).toEqual(['交通办', '环境办']);

    unit('dept-environment')?.click();
    await flushPromises();
    expect(get).toHaveBeenLastCalledWith('/api/v1/units/{id}/members', {
      params: { path: { id: 'd-env' } },
    });
    unit('dept-roads')?.click();
    await flushPromises();
    const people = () =>
      [...(form()?.querySelectorAll('[data-member]') ?? [])].map((m) => m.textContent?.trim());
    expect(people()).toEqual(['不指定，由单位安排', '交通办陈主任 139****0005']);
    expect(form()?.querySelectorAll('[role="radiogroup"]')[1]?.getAttribute('aria-label')).toBe(
      '负责人（可选）',
    );
    form()?.querySelector<HTMLElement>('[data-member="roads-officer"]')?.click();
    await flushPromises();
    form()?.dispatchEvent(new Event('submit'));
    await flushPromises();
    expect(post).toHaveBeenCalledWith('/api/v1/requests/{id}/events', {
      params: { path: { id: 'r1' }, header: { 'If-Match': '"3"' } },
      body: { type: 'ASSIGN', assigneeUnitId: 'd-roads', assigneeUserId: 'u-chen' },
    });
    w.unmount();
  });
});
