import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { domainError } from '../../common/errors/domain-error';
import { jobId, type JobPayloads } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import { UnitsService } from '../units/units.service';
import type { CreateWebhookDto } from './dto/webhook.dto';
import { type DeadLetterRow, type WebhookRow, WebhooksRepository } from './webhooks.repository';

export const SIGNATURE_HEADER = 'X-Closed-Loop-Signature';

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly units: UnitsService,
    private readonly outbox: OutboxService,
  ) {}

  list(): Promise<WebhookRow[]> {
    return this.webhooks.list();
  }

  async create(dto: CreateWebhookDto): Promise<WebhookRow> {
    if (!(await this.units.findById(dto.unitId)))
      throw domainError('WEBHOOK.INVALID_UNIT', 'No such unit');
    return this.webhooks.insert(dto);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.webhooks.deactivate(id)))
      throw domainError('WEBHOOK.NOT_FOUND', 'No such active webhook');
  }

  deadLetters(limit = 100): Promise<DeadLetterRow[]> {
    return this.webhooks.deadLetters(limit);
  }

  /** Queues one delivery per interested webhook, in the caller's transaction. */
  async enqueueFor(
    request: { id: string; unitPath: string; ownerUnitId: string },
    deliveryKey: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    for (const hook of await this.webhooks.forRequest(request.unitPath, request.ownerUnitId)) {
      const deliveryId = jobId('webhook', hook.id, deliveryKey);
      await this.outbox.enqueue(
        'webhook.deliver',
        { webhookId: hook.id, deliveryId, body: { ...body, deliveryId } },
        { jobId: deliveryId },
      );
    }
  }

  /** One attempt; throws on anything but a 2xx so BullMQ retries with backoff. */
  async deliver(job: JobPayloads['webhook.deliver']): Promise<void> {
    const hook = await this.webhooks.find(job.webhookId);
    if (!hook?.active) return;
    const body = JSON.stringify(job.body);
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: sign(hook.secret, body),
        'X-Closed-Loop-Delivery': job.deliveryId,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`webhook ${hook.url} answered ${response.status}`);
  }

  async deadLetter(
    job: JobPayloads['webhook.deliver'],
    attempts: number,
    error: string,
  ): Promise<void> {
    await this.webhooks.insertDeadLetter({
      webhookId: job.webhookId,
      deliveryId: job.deliveryId,
      payload: job.body,
      attempts,
      lastError: error.slice(0, 2000),
    });
  }
}
