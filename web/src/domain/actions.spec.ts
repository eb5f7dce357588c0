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
    ['RESOLVE', ['resolution']],
    ['HOLD', ['reason']],
    ['RESUME', []],
    ['CLOSE', ['note', 'satisfied?']],
    ['CONFIRM', ['rating', 'comment?']],
    ['DISPUTE', ['comment']],
    ['WITHDRAW', []],
    ['COMMENT', ['text']],
    ['ASSIGN', ['assigneeUnitId', 'assigneeUserId?', 'reason?']],
    ['REASSIGN', ['assigneeUnitId', 'assigneeUserId?', 'reason?']],
    ['REQUEST_EXTENSION', ['until', 'reason']],
    ['DECIDE_EXTENSION', ['approve', 'comment?']],
    ['REOPEN', ['reason']],
  ])('%s → %j', (type, fields) => {
    expect(names(type)).toEqual(fields);
  });

  it('offers the allowed events a person sends, main way forward first, never the worker’s', () => {
    expect(
      actionsOf(['COMMENT', 'WITHDRAW', 'DEADLINE_WARNING', 'ACCEPT', 'REJECT', 'RETURN']),
    ).toEqual(['ACCEPT', 'COMMENT', 'RETURN', 'REJECT', 'WITHDRAW']);
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
    expect(missingFields('ASSIGN', initialValues('ASSIGN'))).toEqual(['assigneeUnitId']);
    expect(missingFields('ASSIGN', { assigneeUnitId: 'd1', assigneeUserId: '' })).toEqual([]);
  });

  it('reads a typed due time in Asia/Shanghai and refuses what is not one', () => {
    expect(shanghaiIso('2026-02-03 08:05')).toBe('2026-02-03T08:05:00+08:00');
    expect(shanghaiIso('2026-02-03T08:05')).toBe('2026-02-03T08:05:00+08:00');
    expect(shanghaiIso('2026-13-03 08:05')).toBeNull();
    expect(shanghaiIso('tomorrow')).toBeNull();
  });
});
