import { describe, expect, it } from 'vitest';
import {
  ACTION_FIELDS,
  type ActionType,
  actionsOf,
  eventBody,
  initialValues,
  missingFields,
  shanghaiIso,
} from './actions';

const names = (type: ActionType) =>
  ACTION_FIELDS[type].map((f) => `${f.name}${f.required ? '' : '?'}`);

describe('each action asks only for the fields its event takes', () => {
  it.each<[ActionType, string[]]>([
    ['ACCEPT', []],
    ['REJECT', ['reason']],
    ['RETURN', ['branchId', 'reason']],
    ['ESCALATE', ['reason']],
    ['RESOLVE', ['resolution', 'attachmentIds?']],
    ['HOLD', ['reason']],
    ['RESUME', []],
    ['CLOSE', ['note', 'satisfied?']],
    ['CONFIRM', ['rating', 'comment?']],
    ['DISPUTE', ['comment']],
    ['WITHDRAW', []],
    ['COMMENT', ['text', 'attachmentIds?']],
    ['ASSIGN', ['assigneeUnitId', 'assigneeUserId?', 'reason?']],
    ['REASSIGN', ['assigneeUnitId', 'assigneeUserId?', 'reason?']],
    ['REQUEST_EXTENSION', ['until', 'reason']],
    ['DECIDE_EXTENSION', ['approve', 'comment?']],
    ['REOPEN', ['reason']],
    ['PROPOSE_PLAN', ['milestones', 'reason']],
    ['DECIDE_PLAN', ['approve', 'reason?']],
    ['MILESTONE_DONE', ['milestone', 'note']],
    ['MERGE', ['intoRequestId', 'note?']],
  ])('%s → %j', (type, fields) => {
    expect(names(type)).toEqual(fields);
  });

  it('offers the allowed events a person sends, main way forward first, never the worker’s', () => {
    expect(
      actionsOf(['COMMENT', 'WITHDRAW', 'DEADLINE_WARNING', 'MERGE', 'ACCEPT', 'REJECT', 'RETURN']),
    ).toEqual(['ACCEPT', 'COMMENT', 'RETURN', 'MERGE', 'REJECT', 'WITHDRAW']);
    expect(actionsOf(['FEEDBACK_TIMEOUT', 'DEADLINE_BREACHED'])).toEqual([]);
  });

  it('a body carries the type and this event’s fields, trimmed, empty optional ones left out', () => {
    expect(eventBody('CONFIRM', { rating: 5, comment: '  ' })).toEqual({
      type: 'CONFIRM',
      rating: 5,
    });
    expect(eventBody('DISPUTE', { comment: ' 只补了一半 ', rating: 3 })).toEqual({
      type: 'DISPUTE',
      comment: '只补了一半',
    });
    expect(eventBody('CLOSE', { note: '电话回访', satisfied: true })).toEqual({
      type: 'CLOSE',
      note: '电话回访',
      satisfied: true,
    });
    expect(eventBody('CLOSE', initialValues('CLOSE'))).toEqual({ type: 'CLOSE' });
    expect(eventBody('ACCEPT', { reason: 'x' })).toEqual({ type: 'ACCEPT' });
    // A dispatch to a department alone leaves the cadre out; with one, both go.
    expect(eventBody('ASSIGN', { ...initialValues('ASSIGN'), assigneeUnitId: 'd1' })).toEqual({
      type: 'ASSIGN',
      assigneeUnitId: 'd1',
    });
    expect(
      eventBody('REASSIGN', { assigneeUnitId: 'd1', assigneeUserId: 'u9', reason: '不属交通办' }),
    ).toEqual({
      type: 'REASSIGN',
      assigneeUnitId: 'd1',
      assigneeUserId: 'u9',
      reason: '不属交通办',
    });
    expect(eventBody('REQUEST_EXTENSION', { until: '2026-12-31 17:30', reason: '等材料' })).toEqual(
      {
        type: 'REQUEST_EXTENSION',
        until: '2026-12-31T17:30:00+08:00',
        reason: '等材料',
      },
    );
  });

  it('names what is missing before anything is sent', () => {
    expect(missingFields('CONFIRM', initialValues('CONFIRM'))).toEqual(['rating']);
    expect(missingFields('CONFIRM', { rating: 5 })).toEqual([]);
    expect(missingFields('RETURN', { branchId: '', reason: ' ' })).toEqual(['branchId', 'reason']);
    expect(missingFields('REQUEST_EXTENSION', { until: '明天', reason: 'x' })).toEqual(['until']);
    expect(missingFields('DECIDE_EXTENSION', initialValues('DECIDE_EXTENSION'))).toEqual([]);
    expect(missingFields('CLOSE', { note: '满意' })).toEqual([]);
    expect(missingFields('MERGE', initialValues('MERGE'))).toEqual(['intoRequestId']);
    expect(eventBody('MERGE', { intoRequestId: ' XX-2026-000042 ', note: '' })).toEqual({
      type: 'MERGE',
      intoRequestId: 'XX-2026-000042',
    });
    expect(missingFields('ASSIGN', initialValues('ASSIGN'))).toEqual(['assigneeUnitId']);
    expect(missingFields('ASSIGN', { assigneeUnitId: 'd1', assigneeUserId: '' })).toEqual([]);
  });

  it('photos go as their ids, and only a category that asks for evidence needs one to resolve', () => {
    const today = '2026-03-02';
    expect(eventBody('RESOLVE', { resolution: ' 已清运 ', attachmentIds: ['p1', 'p2'] })).toEqual({
      type: 'RESOLVE',
      resolution: '已清运',
      attachmentIds: ['p1', 'p2'],
    });
    expect(eventBody('COMMENT', initialValues('COMMENT'))).toEqual({ type: 'COMMENT' });
    const resolve = { resolution: '已清运', attachmentIds: [] };
    expect(missingFields('RESOLVE', resolve, { evidenceRequired: false, today })).toEqual([]);
    expect(missingFields('RESOLVE', resolve, { evidenceRequired: true, today })).toEqual([
      'attachmentIds',
    ]);
    expect(
      missingFields(
        'RESOLVE',
        { ...resolve, attachmentIds: ['p1'] },
        { evidenceRequired: true, today },
      ),
    ).toEqual([]);
    expect(missingFields('COMMENT', { text: '补充' }, { evidenceRequired: true, today })).toEqual(
      [],
    );
  });

  it('a plan decision is made by choice, and a refusal needs its reason', () => {
    expect(missingFields('DECIDE_PLAN', initialValues('DECIDE_PLAN'))).toEqual(['approve']);
    expect(missingFields('DECIDE_PLAN', { approve: true, reason: '' })).toEqual([]);
    expect(missingFields('DECIDE_PLAN', { approve: false, reason: ' ' })).toEqual(['reason']);
    expect(eventBody('DECIDE_PLAN', { approve: false, reason: ' 节点太少 ' })).toEqual({
      type: 'DECIDE_PLAN',
      approve: false,
      reason: '节点太少',
    });
    expect(eventBody('DECIDE_PLAN', { approve: true, reason: '' })).toEqual({
      type: 'DECIDE_PLAN',
      approve: true,
    });
  });

  it('a plan goes with its milestones trimmed; the milestone done is the next of the plan', () => {
    const today = '2026-03-02';
    const milestones = [
      { name: ' 立项 ', due: '2026-04-01' },
      { name: '竣工', due: '2026-09-30' },
    ];
    expect(eventBody('PROPOSE_PLAN', { milestones, reason: '工程项目' })).toEqual({
      type: 'PROPOSE_PLAN',
      milestones: [
        { name: '立项', due: '2026-04-01' },
        { name: '竣工', due: '2026-09-30' },
      ],
      reason: '工程项目',
    });
    const context = { evidenceRequired: false, today };
    expect(missingFields('PROPOSE_PLAN', { milestones, reason: 'x' }, context)).toEqual([]);
    expect(
      missingFields(
        'PROPOSE_PLAN',
        { milestones: [...milestones].reverse(), reason: 'x' },
        context,
      ),
    ).toEqual(['milestones']);
    expect(initialValues('PROPOSE_PLAN').milestones).toEqual([{ name: '', due: '' }]);
    const plan = { done: 2, endsAt: '', milestones: [] };
    expect(initialValues('MILESTONE_DONE', { plan })).toEqual({ milestone: 3, note: '' });
    expect(eventBody('MILESTONE_DONE', { milestone: 3, note: ' 招标完成 ' })).toEqual({
      type: 'MILESTONE_DONE',
      milestone: 3,
      note: '招标完成',
    });
  });

  it('reads a typed due time in Asia/Shanghai and refuses what is not one', () => {
    expect(shanghaiIso('2026-02-03 08:05')).toBe('2026-02-03T08:05:00+08:00');
    expect(shanghaiIso('2026-02-03T08:05')).toBe('2026-02-03T08:05:00+08:00');
    expect(shanghaiIso('2026-13-03 08:05')).toBeNull();
    expect(shanghaiIso('tomorrow')).toBeNull();
  });
});
