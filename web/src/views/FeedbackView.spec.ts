import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import { mountIn } from '../test/mount';
import FeedbackView from './FeedbackView.vue';

const TOKEN = 'a'.repeat(54);
const VIEW = {
  reference: 'XX-2026-000042',
  title: '学校门口路灯不亮',
  resolution: '已更换南门两盏路灯。',
  resolvedByUnit: '咸一村',
  resolvedByPerson: '张书记',
  resolvedAt: '2026-12-01T02:00:00Z',
  expiresAt: '2026-12-08T02:00:00Z',
};

const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) });
const problem = (status: number, code: string) => ({
  error: { code, detail: code, status },
  response: new Response(null, { status }),
});

function serve(
  show: unknown,
  answer: unknown = ok({ outcome: 'confirmed', reference: VIEW.reference }),
) {
  const get = vi.spyOn(api, 'GET').mockResolvedValue(show as never);
  const post = vi.spyOn(api, 'POST').mockResolvedValue(answer as never);
  return { get, post };
}

async function open(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const w = mountIn(locale, FeedbackView, { token: TOKEN });
  await flushPromises();
  return w;
}

describe('the feedback page (no sign-in)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows what was done, by whom, and until when it can be answered', async () => {
    const { get } = serve(ok(VIEW));
    const w = await open();
    expect(get).toHaveBeenCalledWith('/api/v1/feedback/{token}', {
      params: { path: { token: TOKEN } },
    });
    expect(w.find('h2#feedback-request').text()).toBe('学校门口路灯不亮');
    expect(w.text()).toContain('编号 XX-2026-000042');
    expect(w.find('.what__resolution').text()).toBe('已更换南门两盏路灯。');
    expect(w.text()).toContain('咸一村 · 张书记');
    expect(w.text()).toContain('请在 2026/12/08 10:00 前评价');
    w.unmount();
  });

  it('five stars and a remark confirm; without stars nothing is sent', async () => {
    const { post } = serve(ok(VIEW));
    const w = await open();
    const confirm = w.find('form[data-answer="confirm"]');
    await confirm.trigger('submit');
    expect(post).not.toHaveBeenCalled();
    expect(confirm.text()).toContain('请点星星打分');
    const stars = confirm.findAll('[role="radio"]');
    expect(stars).toHaveLength(5);
    await stars[4]?.trigger('click');
    expect(confirm.text()).toContain('5 星 · 非常满意');
    await confirm.find('textarea').setValue('  办得很快 ');
    await confirm.trigger('submit');
    await flushPromises();
    expect(post).toHaveBeenCalledWith('/api/v1/feedback/{token}', {
      params: { path: { token: TOKEN } },
      body: { rating: 5, comment: '办得很快' },
    });
    expect(w.find('[data-outcome="confirmed"]').text()).toContain('谢谢您的评价');
    expect(w.find('[data-outcome="confirmed"]').text()).toContain('XX-2026-000042');
    expect(w.find('form').exists()).toBe(false);
    w.unmount();
  });

  it('a comment alone disputes; an empty one is asked for', async () => {
    const { post } = serve(ok(VIEW), ok({ outcome: 'disputed', reference: VIEW.reference }));
    const w = await open('en');
    const dispute = w.find('form[data-answer="dispute"]');
    await dispute.trigger('submit');
    expect(post).not.toHaveBeenCalled();
    expect(dispute.text()).toContain('required');
    await dispute.find('textarea').setValue('北门的灯还是不亮');
    await dispute.trigger('submit');
    await flushPromises();
    expect(post).toHaveBeenCalledWith('/api/v1/feedback/{token}', {
      params: { path: { token: TOKEN } },
      body: { comment: '北门的灯还是不亮' },
    });
    expect(w.find('[data-outcome="disputed"]').text()).toContain('the work goes on');
    w.unmount();
  });

  it.each([
    ['FEEDBACK.LINK_USED', 410, 'used', '这条链接已经用过了'],
    ['FEEDBACK.LINK_SUPERSEDED', 410, 'superseded', '请用最新的评价链接'],
    ['FEEDBACK.LINK_EXPIRED', 410, 'expired', '评价时间已过'],
    ['FEEDBACK.LINK_INVALID', 404, 'invalid', '链接不完整'],
  ])('%s says so in plain words, with no form', async (code, status, gone, words) => {
    serve(problem(status, code));
    const w = await open();
    expect(w.find(`[data-gone="${gone}"]`).text()).toContain(words);
    expect(w.find('form').exists()).toBe(false);
    w.unmount();
  });

  it('a link used up while the page was open (410 on the answer) says so too', async () => {
    serve(ok(VIEW), problem(410, 'FEEDBACK.LINK_SUPERSEDED'));
    const w = await open();
    await w.find('form[data-answer="dispute"] textarea').setValue('还是不亮');
    await w.find('form[data-answer="dispute"]').trigger('submit');
    await flushPromises();
    expect(w.find('[data-gone="superseded"]').exists()).toBe(true);
    w.unmount();
  });
});
