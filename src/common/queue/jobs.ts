import type { ClockKind } from '../../../workflows';

/**
 * Every background job: its name, its queue and its payload, in one place. Payloads are kept
 * small because a million pending deadlines each hold one in Redis.
 */
export const QUEUE_NAMES = ['deadlines', 'notifications', 'webhooks'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  /** Fire the next step of a clock: a warning (`w0`, `w1`, …) or its due time (`due`). */
  'deadline.fire': { clockId: string; generation: number; step: string };
  /**
   * Tell the people concerned about one step of a request (its event `seq`), as the step's
   * declared effects say; or, with `topOverdue`, that a limit passed at the top of the tree.
   */
  'notification.send': { requestId: string; seq: number; topOverdue?: ClockKind };
  /** Send one text message written by a notification job (`outbound_messages.id`). */
  'message.send': { messageId: string };
  /** POST one signed event to one unit's webhook. */
  'webhook.deliver': { webhookId: string; deliveryId: string; body: Record<string, unknown> };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'deadline.fire': 'deadlines',
  'notification.send': 'notifications',
  'message.send': 'notifications',
  'webhook.deliver': 'webhooks',
};

/** Job ids are deterministic so a job added twice is stored once; BullMQ forbids ':' in them. */
export function jobId(...parts: (string | number)[]): string {
  return parts.join('-').replace(/:/g, '_');
}
