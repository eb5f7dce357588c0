import { localMinuteOf } from '../calendar/business-time';
import type { NotificationKind } from '../../common/queue/jobs';

const CLOCK_ZH: Record<string, string> = {
  accept: '受理',
  dispatch: '派单',
  resolve: '办结',
  feedback: '回访评价',
};

export interface TextInput {
  kind: NotificationKind;
  reference: string;
  title: string;
  clock?: string;
  fraction?: number;
  dueAt?: string | null;
  ownerName?: string;
}

export interface Texts {
  titleZh: string;
  bodyZh: string;
  titleEn: string;
  bodyEn: string;
}

/** Message texts in Chinese, with an English fallback for readers who ask for it. */
export function notificationTexts(i: TextInput): Texts {
  const clockZh = CLOCK_ZH[i.clock ?? ''] ?? '';
  const clockEn = i.clock ?? 'time';
  const due = i.dueAt ? localMinuteOf(new Date(i.dueAt)) : '';
  switch (i.kind) {
    case 'deadline_warning': {
      const pct = Math.round((i.fraction ?? 0) * 100);
      return {
        titleZh: `【即将超时】${i.reference}`,
        bodyZh: `“${i.title}”的${clockZh}时限已用去${pct}%，截止时间 ${due}（北京时间），请抓紧办理。`,
        titleEn: `Due soon: ${i.reference}`,
        bodyEn: `"${i.title}": ${pct}% of the ${clockEn} time limit is used; due ${due} (Beijing time).`,
      };
    }
    case 'deadline_breached':
      return {
        titleZh: `【超时升级】${i.reference}`,
        bodyZh: `“${i.title}”已超过${clockZh}时限，已自动升级至${i.ownerName ?? '上级'}，请及时派单督办。`,
        titleEn: `Overdue and escalated: ${i.reference}`,
        bodyEn: `"${i.title}" passed its ${clockEn} time limit and was escalated to ${i.ownerName ?? 'the next level'}.`,
      };
    case 'feedback_timeout':
      return {
        titleZh: `【自动办结】${i.reference}`,
        bodyZh: `“${i.title}”在回访期内未收到评价，已按“未评价”办结。`,
        titleEn: `Closed without feedback: ${i.reference}`,
        bodyEn: `"${i.title}" was closed: no feedback came within the feedback window.`,
      };
    case 'top_overdue':
      return {
        titleZh: `【持续超时】${i.reference}`,
        bodyZh: `“${i.title}”已在最高层级仍超过${clockZh}时限，请督查督办。`,
        titleEn: `Still overdue at the top level: ${i.reference}`,
        bodyEn: `"${i.title}" passed its ${clockEn} time limit at the top of the tree; please follow up.`,
      };
  }
}
