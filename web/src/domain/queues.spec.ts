import { describe, expect, it } from 'vitest';
import type { User } from '../session';
import { feedbackRoute } from './links';
import { QUEUES, readSearch, sortOf } from './queues';

const me = { id: 'u-roads', role: 'assignee' } as User;
const query = (role: keyof typeof QUEUES, key: string) =>
  QUEUES[role].find((q) => q.key === key)?.query(me);

describe('each role’s work lists', () => {
  it('open on what waits for that person', () => {
    expect(QUEUES.secretary.map((q) => q.key).slice(0, 4)).toEqual([
      'new',
      'mine',
      'onHold',
      'overdue',
    ]);
    expect(query('secretary', 'new')).toEqual({ state: ['submitted'] });
    expect(query('secretary', 'onHold')).toEqual({ onHold: true });
    expect(query('secretary', 'overdue')).toEqual({ overdue: true });
    expect(query('dispatcher', QUEUES.dispatcher[0]?.key ?? '')).toEqual({ state: ['escalated'] });
    // An assignee's first list is what is dispatched to them by name; then their unit's.
    expect(query('assignee', QUEUES.assignee[0]?.key ?? '')).toEqual({
      state: ['assigned'],
      assigneeUserId: 'u-roads',
    });
    expect(query('assignee', 'department')).toEqual({ state: ['assigned'] });
    expect(query('resident', 'toConfirm')).toEqual({ state: ['resolved'] });
  });

  it('staff lists run in the order the time runs out; a resident’s newest first', () => {
    expect(sortOf('secretary')).toBe('dueAt');
    expect(sortOf('dispatcher')).toBe('dueAt');
    expect(sortOf('assignee')).toBe('dueAt');
    expect(sortOf('resident')).toBe('-createdAt');
  });

  it('every list of a role has its own key', () => {
    for (const queues of Object.values(QUEUES)) {
      expect(new Set(queues.map((q) => q.key)).size).toBe(queues.length);
    }
  });
});

describe('the search box', () => {
  it('a whole reference number opens that request, in any case and with spaces around', () => {
    expect(readSearch(' xx-2026-000042 ')).toEqual({
      kind: 'reference',
      reference: 'XX-2026-000042',
    });
  });

  it('words search the list, as the API takes them', () => {
    expect(readSearch('路灯')).toEqual({ kind: 'words', q: '路灯' });
    expect(readSearch('  南门   路灯 ')).toEqual({ kind: 'words', q: '南门 路灯' });
    expect(readSearch('灯 南门')).toEqual({ kind: 'words', q: '灯 南门' });
    // Full-width letters count as the index counts them (NFKC).
    expect(readSearch('ＡＢ')).toEqual({ kind: 'words', q: 'AB' });
    expect(readSearch('路'.repeat(150))).toEqual({ kind: 'words', q: '路'.repeat(100) });
    expect(readSearch('XX-2026')).toEqual({ kind: 'words', q: 'XX-2026' });
  });

  it('a lone character is too short to search for', () => {
    expect(readSearch('灯')).toEqual({ kind: 'tooShort' });
    expect(readSearch('路 灯')).toEqual({ kind: 'tooShort' });
    expect(readSearch('   ')).toEqual({ kind: 'tooShort' });
  });
});

describe('feedback links in notifications', () => {
  const token = 'A'.repeat(20) + '-_' + 'b'.repeat(32);

  it('open the app’s feedback page, whatever address the API was given', () => {
    expect(feedbackRoute(`https://town.example/f/${token}`)).toEqual({
      name: 'feedback',
      params: { token },
    });
    expect(feedbackRoute(`http://127.0.0.1:3000/app/f/${token}?utm=sms`)).toEqual({
      name: 'feedback',
      params: { token },
    });
  });

  it('anything else is no link', () => {
    expect(feedbackRoute(null)).toBeNull();
    expect(feedbackRoute('')).toBeNull();
    expect(feedbackRoute(`https://town.example/f/${token.slice(1)}`)).toBeNull();
    expect(feedbackRoute(`https://town.example/x/${token}`)).toBeNull();
  });
});
