import type { MessageKind } from '../../../workflows';
import { localMinuteOf } from '../calendar/business-time';

const CLOCK_ZH: Record<string, string> = {
  accept: '受理',
  dispatch: '派单',
  resolve: '办结',
  feedback: '回访评价',
  milestone: '节点',
};

/** What a message may mention; each kind uses what it needs. */
export interface TextInput {
  kind: MessageKind;
  reference: string;
  title: string;
  /** a reason, a resolution, a note or a comment: the free text of the step */
  text?: string | null;
  rating?: number | null;
  /** the unit (or person) that holds the request now */
  ownerName?: string | null;
  /** the extension asked for, or decided */
  until?: string | null;
  approved?: boolean;
  clock?: string;
  fraction?: number;
  dueAt?: string | null;
  feedbackUrl?: string | null;
  /** the milestone a step or a clock is about, its number in the plan, and how many there are */
  milestone?: string | null;
  milestoneNumber?: number;
  milestoneCount?: number;
  /** the reference number of the original a duplicate was merged into, or follows */
  original?: string | null;
}

export interface Texts {
  titleZh: string;
  bodyZh: string;
  titleEn: string;
  bodyEn: string;
}

/** What a message renders from: `due` and `until` as Beijing minutes ('' when not known). */
type RenderInput = Omit<TextInput, 'until'> & {
  q: string;
  qEn: string;
  due: string;
  until: string;
};
type Render = (i: RenderInput) => Texts;

const said = (text: string | null | undefined, zh: string, en: string) =>
  text ? { zh: `${zh}：${text}`, en: `${en}: ${text}` } : { zh: '', en: '' };

/** The clock's name, with the milestone's when it is a milestone's clock. */
const clockName = (i: TextInput) => ({
  zh: `${CLOCK_ZH[i.clock ?? ''] ?? ''}${i.milestone ? `「${i.milestone}」` : ''}`,
  en: `${i.clock ?? ''}${i.milestone ? ` (${i.milestone})` : ''}`,
});

/** "3/7 「概算审批」", as far as it is known. */
const milestoneOf = (i: TextInput) => {
  const place =
    i.milestoneNumber && i.milestoneCount
      ? {
          zh: `第 ${i.milestoneNumber}/${i.milestoneCount} 个`,
          en: ` ${i.milestoneNumber} of ${i.milestoneCount}`,
        }
      : { zh: '', en: '' };
  return {
    zh: `${place.zh}节点${i.milestone ? `「${i.milestone}」` : ''}`,
    en: `milestone${place.en}${i.milestone ? ` (${i.milestone})` : ''}`,
  };
};

/** "a plan of 7 milestones until 2026-12-31 17:30", as far as it is known. */
const planOf = (i: RenderInput) => ({
  zh: `${i.milestoneCount ? `分 ${i.milestoneCount} 个节点` : '按节点'}办理${i.until ? `，至 ${i.until}（北京时间）办结` : ''}`,
  en: `a plan of ${i.milestoneCount ?? 'several'} milestones${i.until ? ` until ${i.until} (Beijing time)` : ''}`,
});

const original = (reference: string | null | undefined) =>
  reference
    ? { zh: `编号 ${reference} 的诉求`, en: `request ${reference}` }
    : { zh: '另一件诉求', en: 'the other request' };

const stars = (rating: number | null | undefined) =>
  rating ? { zh: `，评价 ${rating} 星`, en: `, rated ${rating} of 5` } : { zh: '', en: '' };

/**
 * Every message, in Chinese (what residents and staff read, and what text messages carry) and in
 * English for readers who ask for it. Residents' messages name the reference number, so a call
 * to the town can find the request.
 */
const RENDER: Record<MessageKind, Render> = {
  created: (i) => ({
    titleZh: `【新诉求】${i.reference}`,
    bodyZh: `${i.q}待受理，请及时接单。`,
    titleEn: `New request ${i.reference}`,
    bodyEn: `${i.qEn} is waiting to be accepted.`,
  }),
  recorded_for_you: (i) => ({
    titleZh: `【已登记】${i.reference}`,
    bodyZh: `您反映的${i.q}已登记，编号 ${i.reference}，可凭编号查询办理进度。`,
    titleEn: `Recorded: ${i.reference}`,
    bodyEn: `Your request ${i.qEn} was recorded as ${i.reference}; quote this number to follow it.`,
  }),
  accepted: (i) => ({
    titleZh: `【已受理】${i.reference}`,
    bodyZh: `您反映的${i.q}已由${i.ownerName ?? '村（社区）'}受理，正在办理。`,
    titleEn: `Accepted: ${i.reference}`,
    bodyEn: `${i.qEn} was accepted by ${i.ownerName ?? 'your branch'} and is being handled.`,
  }),
  rejected: (i) => {
    const r = said(i.text, '理由', 'Reason');
    return {
      titleZh: `【未受理】${i.reference}`,
      bodyZh: `您反映的${i.q}未予受理。${r.zh}`,
      titleEn: `Not accepted: ${i.reference}`,
      bodyEn: `${i.qEn} was not accepted. ${r.en}`,
    };
  },
  returned: (i) => ({
    titleZh: `【已转交】${i.reference}`,
    bodyZh: `您反映的${i.q}已转交${i.ownerName ?? '其他村（社区）'}办理。`,
    titleEn: `Passed on: ${i.reference}`,
    bodyEn: `${i.qEn} was passed on to ${i.ownerName ?? 'another branch'}.`,
  }),
  returned_to_you: (i) => {
    const r = said(i.text, '转交说明', 'Note');
    return {
      titleZh: `【转交待受理】${i.reference}`,
      bodyZh: `${i.q}转交到本村（社区），请及时接单。${r.zh}`,
      titleEn: `Passed to you: ${i.reference}`,
      bodyEn: `${i.qEn} was passed to your branch; please accept it. ${r.en}`,
    };
  },
  branch_escalated: (i) => {
    const r = said(i.text, '原因', 'Reason');
    return {
      titleZh: `【包联提醒】${i.reference}`,
      bodyZh: `您联系的村（社区）的${i.q}已向上反馈至${i.ownerName ?? '镇（街道）'}，请关注督办。${r.zh}`,
      titleEn: `Escalated in a branch you look after: ${i.reference}`,
      bodyEn: `${i.qEn}, from a branch you are the contact leader of, was escalated to ${i.ownerName ?? 'the town'}. ${r.en}`,
    };
  },
  escalated: (i) => {
    const r = said(i.text, '原因', 'Reason');
    return {
      titleZh: `【待派单】${i.reference}`,
      bodyZh: `${i.q}已向上反馈至${i.ownerName ?? '镇（街道）'}，请派单。${r.zh}`,
      titleEn: `To dispatch: ${i.reference}`,
      bodyEn: `${i.qEn} was escalated to ${i.ownerName ?? 'the town'}; please dispatch it. ${r.en}`,
    };
  },
  assigned: (i) => ({
    titleZh: `【派单】${i.reference}`,
    bodyZh: `${i.q}已派给${i.ownerName ?? '您'}办理，请按时办结。`,
    titleEn: `Dispatched: ${i.reference}`,
    bodyEn: `${i.qEn} was dispatched to ${i.ownerName ?? 'you'}; please resolve it in time.`,
  }),
  dispatched: (i) => ({
    titleZh: `【已派单】${i.reference}`,
    bodyZh: `您反映的${i.q}已派给${i.ownerName ?? '相关部门'}办理。`,
    titleEn: `Dispatched: ${i.reference}`,
    bodyEn: `${i.qEn} was dispatched to ${i.ownerName ?? 'a department'}.`,
  }),
  held: (i) => {
    const r = said(i.text, '原因', 'Reason');
    return {
      titleZh: `【暂缓办理】${i.reference}`,
      bodyZh: `您反映的${i.q}暂缓办理。${r.zh}`,
      titleEn: `On hold: ${i.reference}`,
      bodyEn: `${i.qEn} is on hold. ${r.en}`,
    };
  },
  resumed: (i) => {
    const r = said(i.text, '说明', 'Note');
    return {
      titleZh: `【恢复办理】${i.reference}`,
      bodyZh: `您反映的${i.q}已恢复办理。${r.zh}`,
      titleEn: `Work resumed: ${i.reference}`,
      bodyEn: `Work on ${i.qEn} resumed. ${r.en}`,
    };
  },
  extension_requested: (i) => {
    const r = said(i.text, '理由', 'Reason');
    return {
      titleZh: `【延期待审批】${i.reference}`,
      bodyZh: `${i.q}申请延期至 ${i.until}（北京时间），请审批。${r.zh}`,
      titleEn: `Extension to approve: ${i.reference}`,
      bodyEn: `${i.qEn}: more time asked, until ${i.until} (Beijing time). ${r.en}`,
    };
  },
  extension_decided: (i) => ({
    titleZh: `【延期${i.approved ? '已批准' : '未批准'}】${i.reference}`,
    bodyZh: `${i.q}的延期申请${i.approved ? '已批准' : '未获批准'}。${said(i.text, '意见', '').zh}`,
    titleEn: `Extension ${i.approved ? 'approved' : 'refused'}: ${i.reference}`,
    bodyEn: `The extension of ${i.qEn} was ${i.approved ? 'approved' : 'refused'}. ${i.text ?? ''}`,
  }),
  resolved: (i) => {
    const r = said(i.text, '办理结果', 'Result');
    const link = i.feedbackUrl
      ? { zh: `请点击评价：${i.feedbackUrl}`, en: `Rate it here: ${i.feedbackUrl}` }
      : { zh: '请对办理结果进行评价。', en: 'Please rate the result.' };
    return {
      titleZh: `【已办结】${i.reference}`,
      bodyZh: `您反映的${i.q}已办结。${r.zh}。${link.zh}`,
      titleEn: `Resolved: ${i.reference}`,
      bodyEn: `${i.qEn} is resolved. ${r.en}. ${link.en}`,
    };
  },
  disputed: (i) => {
    const r = said(i.text, '群众意见', 'Resident says');
    return {
      titleZh: `【群众不满意】${i.reference}`,
      bodyZh: `${i.q}的办理结果群众不认可，已退回重办。${r.zh}`,
      titleEn: `Disputed: ${i.reference}`,
      bodyEn: `The resident disputes the result of ${i.qEn}; it is back with you. ${r.en}`,
    };
  },
  reopened: (i) => {
    const r = said(i.text, '原因', 'Reason');
    return {
      titleZh: `【重新启动】${i.reference}`,
      bodyZh: `${i.q}被督查重新启动，请派单。${r.zh}`,
      titleEn: `Reopened: ${i.reference}`,
      bodyEn: `${i.qEn} was reopened by a supervisor; please dispatch it. ${r.en}`,
    };
  },
  confirmed: (i) => {
    const s = stars(i.rating);
    return {
      titleZh: `【群众已评价】${i.reference}`,
      bodyZh: `${i.q}已由群众确认办结${s.zh}。`,
      titleEn: `Confirmed: ${i.reference}`,
      bodyEn: `The resident confirmed ${i.qEn}${s.en}.`,
    };
  },
  closed: (i) => {
    const r = said(i.text, '回访情况', 'Call-back');
    return {
      titleZh: `【回访销单】${i.reference}`,
      bodyZh: `${i.q}经回访已销单。${r.zh}`,
      titleEn: `Closed after a call-back: ${i.reference}`,
      bodyEn: `${i.qEn} was closed after a call-back. ${r.en}`,
    };
  },
  withdrawn: (i) => ({
    titleZh: `【群众撤回】${i.reference}`,
    bodyZh: `${i.q}已由群众撤回，无需继续办理。`,
    titleEn: `Withdrawn: ${i.reference}`,
    bodyEn: `The resident withdrew ${i.qEn}; no further work is needed.`,
  }),
  comment: (i) => {
    const r = said(i.text, '留言', 'Message');
    return {
      titleZh: `【新留言】${i.reference}`,
      bodyZh: `${i.q}有新留言。${r.zh}`,
      titleEn: `New message: ${i.reference}`,
      bodyEn: `New message on ${i.qEn}. ${r.en}`,
    };
  },
  deadline_warning: (i) => {
    const pct = Math.round((i.fraction ?? 0) * 100);
    const c = clockName(i);
    return {
      titleZh: `【即将超时】${i.reference}`,
      bodyZh: `${i.q}的${c.zh}时限已用去${pct}%，截止时间 ${i.due}（北京时间），请抓紧办理。`,
      titleEn: `Due soon: ${i.reference}`,
      bodyEn: `${i.qEn}: ${pct}% of the ${c.en} time limit is used; due ${i.due} (Beijing time).`,
    };
  },
  deadline_breached: (i) => {
    const c = clockName(i);
    return {
      titleZh: `【超时升级】${i.reference}`,
      bodyZh: `${i.q}已超过${c.zh}时限，已自动升级至${i.ownerName ?? '上级'}，请及时派单督办。`,
      titleEn: `Overdue and escalated: ${i.reference}`,
      bodyEn: `${i.qEn} passed its ${c.en} time limit and was escalated to ${i.ownerName ?? 'the next level'}.`,
    };
  },
  feedback_timeout: (i) => ({
    titleZh: `【自动办结】${i.reference}`,
    bodyZh: `${i.q}在回访期内未收到评价，已按“未评价”办结。`,
    titleEn: `Closed without feedback: ${i.reference}`,
    bodyEn: `${i.qEn} was closed: no feedback came within the feedback window.`,
  }),
  plan_proposed: (i) => {
    const plan = planOf(i);
    const r = said(i.text, '理由', 'Reason');
    return {
      titleZh: `【节点计划待审批】${i.reference}`,
      bodyZh: `${i.q}申请${plan.zh}，请审批。${r.zh}`,
      titleEn: `Milestone plan to approve: ${i.reference}`,
      bodyEn: `${i.qEn}: ${plan.en} awaits your approval. ${r.en}`,
    };
  },
  plan_decided: (i) => {
    const r = said(i.text, '意见', 'Note');
    return {
      titleZh: `【节点计划${i.approved ? '已批准' : '未批准'}】${i.reference}`,
      bodyZh: i.approved
        ? `${i.q}的节点计划已批准，请按节点办理，逐个标记完成。${r.zh}`
        : `${i.q}的节点计划未获批准，请按原时限办理。${r.zh}`,
      titleEn: `Milestone plan ${i.approved ? 'approved' : 'refused'}: ${i.reference}`,
      bodyEn: i.approved
        ? `The milestone plan of ${i.qEn} was approved; mark each milestone done in turn. ${r.en}`
        : `The milestone plan of ${i.qEn} was refused; the time limit stands. ${r.en}`,
    };
  },
  plan_approved: (i) => {
    const plan = planOf(i);
    return {
      titleZh: `【分阶段办理】${i.reference}`,
      bodyZh: `您反映的${i.q}需${plan.zh}，每完成一个节点都会告知您。`,
      titleEn: `Handled in stages: ${i.reference}`,
      bodyEn: `${i.qEn} is handled on ${plan.en}; you will hear as each milestone is done.`,
    };
  },
  milestone_done: (i) => {
    const m = milestoneOf(i);
    const r = said(i.text, '进展', 'Progress');
    return {
      titleZh: `【节点完成】${i.reference}`,
      bodyZh: `${i.q}已完成${m.zh}。${r.zh}`,
      titleEn: `Milestone done: ${i.reference}`,
      bodyEn: `${i.qEn}: ${m.en} is done. ${r.en}`,
    };
  },
  merged: (i) => {
    const r = said(i.text, '说明', 'Note');
    const o = original(i.original);
    return {
      titleZh: `【合并办理】${i.reference}`,
      bodyZh: `您反映的${i.q}与${o.zh}是同一问题，已合并办理，办理进展和结果将一并告知您。${r.zh}`,
      titleEn: `Merged: ${i.reference}`,
      bodyEn: `${i.qEn} is the same problem as ${o.en}; they are handled together and you will hear how it goes. ${r.en}`,
    };
  },
  original_withdrawn: (i) => {
    const o = original(i.original);
    return {
      titleZh: `【原诉求已撤回】${i.reference}`,
      bodyZh: `与您反映的${i.q}合并办理的${o.zh}已被其反映人撤回。如问题仍未解决，请重新反映。`,
      titleEn: `Original withdrawn: ${i.reference}`,
      bodyEn: `${i.qEn} was merged into ${o.en}, which its resident withdrew. If the problem remains, please report it again.`,
    };
  },
  top_overdue: (i) => {
    const c = clockName(i);
    return {
      titleZh: `【持续超时】${i.reference}`,
      bodyZh: `${i.q}已在最高层级仍超过${c.zh}时限，请督查督办。`,
      titleEn: `Still overdue at the top level: ${i.reference}`,
      bodyEn: `${i.qEn} passed its ${c.en} time limit at the top of the tree; please follow up.`,
    };
  },
};

/** Messages that name the original themselves. */
const ABOUT_THE_MERGE: readonly MessageKind[] = ['merged', 'original_withdrawn'];

export function notificationTexts(i: TextInput): Texts {
  // A follower's request is named with the original it is handled with.
  const followed = i.original && !ABOUT_THE_MERGE.includes(i.kind) ? i.original : null;
  const t = RENDER[i.kind]({
    ...i,
    q: followed ? `“${i.title}”（已与 ${followed} 合并办理）` : `“${i.title}”`,
    qEn: followed ? `"${i.title}" (handled with ${followed})` : `"${i.title}"`,
    due: i.dueAt ? localMinuteOf(new Date(i.dueAt)) : '',
    until: i.until ? localMinuteOf(new Date(i.until)) : '',
  });
  // Empty optional parts leave stray spaces and full stops; messages stay tidy.
  const tidy = (s: string) =>
    s
      .replace(/\s+/g, ' ')
      .replace(/。。/g, '。')
      .replace(/\.\s*\./g, '.')
      .trim();
  return { titleZh: t.titleZh, bodyZh: tidy(t.bodyZh), titleEn: t.titleEn, bodyEn: tidy(t.bodyEn) };
}
