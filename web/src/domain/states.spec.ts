import { describe, expect, it } from 'vitest';
import StateTag from '../components/StateTag.vue';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { mountIn } from '../test/mount';
import { REQUEST_STATES, STATE_LOOK, stateLabelKey } from './states';

describe('states in plain words', () => {
  it('every state has a long and a short label in both languages, and its own icon', () => {
    for (const state of REQUEST_STATES) {
      expect(zhCN.states[state]).toBeTruthy();
      expect(en.states[state]).toBeTruthy();
      expect(zhCN.stateShort[state]).toBeTruthy();
      expect(en.stateShort[state]).toBeTruthy();
    }
    const icons = REQUEST_STATES.map((s) => STATE_LOOK[s].icon);
    expect(new Set(icons).size).toBe(REQUEST_STATES.length);
  });

  it('the labels say what happens next, not the machine’s state names', () => {
    expect(zhCN.states.submitted).toBe('已提交，等待村社受理');
    expect(en.states.resolved).toBe('Resolved, waiting for confirmation');
    for (const state of REQUEST_STATES) expect(zhCN.states[state]).not.toMatch(/[a-z]/i);
  });

  it('StateTag shows the words and an icon (short by default, long on request)', () => {
    const short = mountIn('zh-CN', StateTag, { state: 'resolved' });
    expect(short.text()).toBe('待确认');
    expect(short.find('.van-icon-passed').exists()).toBe(true);
    const long = mountIn('en', StateTag, { state: 'escalated', long: true });
    expect(long.text()).toBe('Passed up to the town, waiting to be assigned');
    expect(long.attributes('data-state')).toBe('escalated');
  });

  it('StateTag says a request closed as a duplicate was merged, not done', () => {
    const merged = mountIn('zh-CN', StateTag, { state: 'closed', merged: true });
    expect(merged.text()).toBe('已合并');
    expect(merged.find('.van-icon-link-o').exists()).toBe(true);
    expect(merged.attributes('data-state')).toBe('closed');
    expect(mountIn('zh-CN', StateTag, { state: 'closed', merged: false }).text()).toBe('已完成');
  });

  it('keys', () => {
    expect(stateLabelKey('closed')).toBe('states.closed');
    expect(stateLabelKey('closed', true)).toBe('stateShort.closed');
  });
});
