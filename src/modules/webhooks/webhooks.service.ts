import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { domainError } from '../../common/errors/domain-error';
import { jobId, type JobPayloads } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { UnitsService } from '../units/units.service';
import type { CreateWebhookDto } from './dto/webhook.dto';
import { postPinned, WebhookDeliveryError } from './webhook-post';
import { type TargetPolicy, vetTarget } from './webhook-target';
import { type DeadLetterRow, type WebhookRow, WebhooksRepository } from './webhooks.repository';

export const SIGNATURE_HEADER = 'X-Closed-Loop-Signature';
export const TIMESTAMP_HEADER = 'X-Closed-Loop-Timestamp';
const TIMEOUT_MS = 10_000;

/** `sha256=` HMAC-SHA256 of `${timestamp}.${body}`: a receiver refuses old timestamps (replays). */
export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

@Injectable()
export class WebhooksService {
  private readonly policy: TargetPolicy;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly units: UnitsService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = { allowHosts: config.webhookAllowHosts, allowHttp: config.webhookAllowHttp };
  }

  list(): Promise<WebhookRow[]> {
    return this.webhooks.list();
  }

  async create(dto: CreateWebhookDto): Promise<WebhookRow> {
    if (!(await this.units.findById(dto.unitId)))
      throw domainError('WEBHOOK.INVALID_UNIT', 'No such unit');
    const target = await vetTarget(dto.url, this.policy);
    if (!target.ok) throw domainError('WEBHOOK.URL_NOT_ALLOWED', target.message);
    return this.webhooks.insert({ ...dto, url: target.url.href });
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

  /**
   * One attempt; anything but a 2xx throws a WebhookDeliveryError so BullMQ retries with backoff.
   * The target is vetted again first (the allow-list may have changed, DNS certainly may) and the
   * connection goes to the vetted addresses; a redirect is a failure, never followed.
   */
  async deliver(job: JobPayloads['webhook.deliver']): Promise<void> {
    const hook = await this.webhooks.find(job.webhookId);
    if (!hook?.active) return;
    const target = await vetTarget(hook.url, this.policy);
    if (!target.ok) throw new WebhookDeliveryError(target.failure);
    const body = JSON.stringify(job.body);
    const timestamp = Math.floor(Date.now() / 1000);
    const status = await postPinned(
      target.url,
      target.addresses,
      {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: sign(hook.secret, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
        'X-Closed-Loop-Delivery': job.deliveryId,
      },
      body,
      TIMEOUT_MS,
    );
    if (status >= 300 && status < 400) throw new WebhookDeliveryError('redirect not followed');
    if (status < 200 || status >= 300) throw new WebhookDeliveryError(`answered ${status}`);
  }

  /** Records a delivery that failed every attempt, with a generic reason, never raw error text. */
  async deadLetter(
    job: JobPayloads['webhook.deliver'],
    attempts: number,
    error: unknown,
  ): Promise<void> {
    await this.webhooks.insertDeadLetter({
      webhookId: job.webhookId,
      deliveryId: job.deliveryId,
      payload: job.body,
      attempts,
      lastError: error instanceof WebhookDeliveryError ? error.failure : 'failed',
    });
  }
}
