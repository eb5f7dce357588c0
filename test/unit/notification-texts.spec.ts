import { MESSAGE_KINDS } from '../../workflows';
import { notificationTexts } from '../../src/modules/notifications/notification-texts';

describe('notification texts', () => {
  const full = {
    reference: 'XX-2026-000042',
    title: '路灯不亮',
    text: '已更换灯泡',
    rating: 5,
    ownerName: '交通办',
    until: '2026-12-31T09:00:00Z',
    approved: true,
    clock: 'resolve',
    fraction: 0.8,
    dueAt: '2026-12-31T09:00:00Z',
    feedbackUrl: 'https://town.example/f/abc',
    original: 'XX-2026-000007',
  };

  it.each(MESSAGE_KINDS)(
    '%s reads well in both languages, with or without the optional parts',
    (kind) => {
      for (const input of [
        { ...full, kind },
        { kind, reference: full.reference, title: full.title },
      ]) {
        const t = notificationTexts(input);
        for (const s of [t.titleZh, t.bodyZh, t.titleEn, t.bodyEn]) {
          expect(s.length).toBeGreaterThan(5);
          expect(s).not.toMatch(/undefined|null|NaN|\s{2}|^\s|\s$/);
        }
        expect(t.titleZh).toContain(full.reference);
        expect(t.titleEn).toContain(full.reference);
      }
    },
  );

  it('carries the feedback link in the resolution message', () => {
    const t = notificationTexts({ ...full, kind: 'resolved' });
    expect(t.bodyZh).toContain(full.feedbackUrl);
    expect(t.bodyEn).toContain(full.feedbackUrl);
    expect(t.bodyZh).toContain('已更换灯泡');
  });

  it('names the original a duplicate was merged into, once', () => {
    for (const kind of ['merged', 'original_withdrawn', 'resolved', 'dispatched'] as const) {
      const t = notificationTexts({ ...full, kind });
      expect(t.bodyZh.split('XX-2026-000007')).toHaveLength(2);
      expect(t.bodyEn.split('XX-2026-000007')).toHaveLength(2);
    }
    expect(notificationTexts({ ...full, kind: 'resolved', original: null }).bodyZh).not.toContain(
      '合并',
    );
  });

  it('gives the rating to whoever resolved it', () => {
    expect(notificationTexts({ ...full, kind: 'confirmed' }).bodyZh).toContain('5 星');
  });
});
