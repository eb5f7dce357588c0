import { afterEach, describe, expect, it } from 'vitest';
import type { PossibleDuplicate, RequestDto } from '../api/client';
import { endSession, type Role } from '../session';
import { mountIn } from '../test/mount';
import { signedInAs } from '../test/session';
import DuplicatesPanel from './DuplicatesPanel.vue';

const NEAR = {
  id: 'r-original',
  reference: 'XC-2026-000041',
  title: '东村小学门口路灯不亮',
  state: 'accepted',
  branch: { id: 'b1', code: 'branch-1', name: '东村' },
  createdAt: '2026-11-30T02:00:00Z',
  reasons: ['nearby'],
  distanceM: 12,
  titleSimilarity: 0.2,
} as PossibleDuplicate;

const request = (over: Partial<RequestDto>) =>
  ({ state: 'submitted', mergedInto: null, ...over }) as RequestDto;

const signInAs = (role: Role): void =>
  signedInAs({ id: 'u', username: 'x', displayName: 'X', role }, 'a');

describe('DuplicatesPanel: how a request stands to others', () => {
  afterEach(() => endSession());

  it('lists possible duplicates of an open request for staff, with why', () => {
    signInAs('secretary');
    const w = mountIn('zh-CN', DuplicatesPanel, {
      request: request({ possibleDuplicates: [NEAR], mergedDuplicates: [] }),
    });
    const item = w.find('[data-possible-duplicates] [data-reference="XC-2026-000041"]');
    expect(item.text()).toContain('东村小学门口路灯不亮');
    expect(item.text()).toContain('相距约 12 米');
    expect(w.find('[data-merged-duplicates]').exists()).toBe(false);
    w.unmount();
  });

  it('shows no possible duplicates once the request is resolved', () => {
    signInAs('secretary');
    const w = mountIn('zh-CN', DuplicatesPanel, {
      request: request({ state: 'resolved', possibleDuplicates: [NEAR] }),
    });
    expect(w.find('[data-possible-duplicates]').exists()).toBe(false);
    w.unmount();
  });

  it('lists the duplicates merged into an original', () => {
    signInAs('secretary');
    const w = mountIn('en', DuplicatesPanel, {
      request: request({ mergedDuplicates: [{ id: 'd1', reference: 'XC-2026-000050' }] }),
    });
    expect(w.find('[data-merged-duplicates]').text()).toContain('XC-2026-000050');
    w.unmount();
  });

  it('tells staff the original with a link, and a resident its number in plain words', () => {
    const merged = request({
      state: 'closed',
      mergedInto: { id: 'r-original', reference: 'XC-2026-000041' },
    });
    signInAs('secretary');
    const staff = mountIn('zh-CN', DuplicatesPanel, { request: merged });
    expect(staff.find('[data-merged-into] a').text()).toBe('XC-2026-000041');
    staff.unmount();

    signInAs('resident');
    const resident = mountIn('zh-CN', DuplicatesPanel, { request: merged });
    expect(resident.find('[data-merged-into] a').exists()).toBe(false);
    expect(resident.find('[data-merged-into]').text()).toContain(
      '与诉求 XC-2026-000041 是同一个问题',
    );
    resident.unmount();
  });
});
