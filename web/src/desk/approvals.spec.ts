import { describe, expect, it } from 'vitest';
import { decision, needsWords, PENDING_QUERY } from './approvals';

describe('a supervisor’s decisions from the approvals list', () => {
  it('an extension is decided with an optional comment, a plan with a reason', () => {
    expect(decision('extension', true, '  ')).toEqual({ type: 'DECIDE_EXTENSION', approve: true });
    expect(decision('extension', false, ' 材料不全 ')).toEqual({
      type: 'DECIDE_EXTENSION',
      approve: false,
      comment: '材料不全',
    });
    expect(decision('plan', false, '节点太松')).toEqual({
      type: 'DECIDE_PLAN',
      approve: false,
      reason: '节点太松',
    });
    expect(decision('plan', true, '')).toEqual({ type: 'DECIDE_PLAN', approve: true });
  });

  it('saying no needs words; each kind has its list filter', () => {
    expect(needsWords(false)).toBe(true);
    expect(needsWords(true)).toBe(false);
    expect(PENDING_QUERY).toEqual({
      extension: { extensionPending: true },
      plan: { planPending: true },
    });
  });
});
