import { Injectable } from '@nestjs/common';
import { Expiring } from '../../common/cache/expiring';
import { domainError } from '../../common/errors/domain-error';
import { clockLengthMs, parseIsoDurationParts } from '../calendar/business-time';
import { CalendarRepository } from '../calendar/calendar.repository';
import { CategoriesService } from '../categories/categories.service';
import { PRIORITIES, type Priority } from '../requests/requests.entity';
import type { PutSlaPolicyDto, SlaPolicyDto } from './dto/sla-policy.dto';
import { defaultPolicy, type SlaPolicy } from './sla-defaults';
import { SlaPoliciesRepository, type StoredPolicy } from './sla-policies.repository';

/** Every submission looks its policy up and policies change rarely: kept for a few seconds. */
const CACHE_MS = 10_000;

@Injectable()
export class SlaPoliciesService {
  private readonly stored = new Expiring<StoredPolicy[]>(CACHE_MS, () => this.policies.list());

  constructor(
    private readonly policies: SlaPoliciesRepository,
    private readonly categories: CategoriesService,
    private readonly calendar: CalendarRepository,
  ) {}

  /** Every category × priority, stored or default, so an admin sees what is really in force. */
  async list(): Promise<SlaPolicyDto[]> {
    const [stored, categories] = await Promise.all([
      this.policies.list(),
      this.categories.list(true),
    ]);
    const key = (c: string, p: string) => `${c}/${p}`;
    const byKey = new Map(stored.map((s) => [key(s.categoryCode, s.priority), s]));
    return categories.flatMap((c) =>
      PRIORITIES.map((priority) => {
        const s = byKey.get(key(c.code, priority));
        const p = s ?? defaultPolicy(c.code, priority);
        return {
          category: c.code,
          priority,
          stored: s !== undefined,
          clock: p.clock,
          accept: p.accept,
          dispatch: p.dispatch,
          resolve: p.resolve,
          feedback: p.feedback,
          warnAt: p.warnAt,
        };
      }),
    );
  }

  async policyFor(
    categoryId: string,
    categoryCode: string,
    priority: Priority,
  ): Promise<SlaPolicy> {
    const stored = (await this.stored.get()).find(
      (s) => s.categoryId === categoryId && s.priority === priority,
    );
    if (!stored) return defaultPolicy(categoryCode, priority);
    const { clock, accept, dispatch, resolve, feedback, warnAt } = stored;
    return { clock, accept, dispatch, resolve, feedback, warnAt };
  }

  async put(categoryCode: string, priority: string, dto: PutSlaPolicyDto): Promise<SlaPolicyDto> {
    if (!(PRIORITIES as readonly string[]).includes(priority)) {
      throw domainError('SLA.UNKNOWN_PRIORITY', `priority must be one of ${PRIORITIES.join(', ')}`);
    }
    const category = await this.categories.findByCode(categoryCode);
    if (!category) throw domainError('CATEGORY.NOT_FOUND', `No category with code ${categoryCode}`);
    for (const field of ['accept', 'dispatch', 'resolve', 'feedback'] as const) {
      const parts = parseIsoDurationParts(dto[field]);
      if (!parts || parts.weeks + parts.days + parts.timeMs === 0) {
        throw domainError(
          'SLA.INVALID_DURATION',
          `${field} must be a positive ISO-8601 duration such as PT2H or P7D`,
        );
      }
    }
    // Both clocks start at submission: answering may not be allowed longer than solving.
    const cal = await this.calendar.get();
    if (clockLengthMs(dto.clock, cal, dto.accept) > clockLengthMs(dto.clock, cal, dto.resolve)) {
      throw domainError(
        'SLA.ACCEPT_EXCEEDS_RESOLVE',
        `accept (${dto.accept}) is longer than resolve (${dto.resolve})${dto.clock === 'working' ? ' in working time (a day is a working day of the calendar)' : ''}`,
      );
    }
    const warnAt = [...new Set(dto.warnAt)].sort((a, b) => a - b);
    await this.stored.changing(() =>
      this.policies.upsert(category.id, priority as Priority, { ...dto, warnAt }),
    );
    return { category: category.code, priority, stored: true, ...dto, warnAt };
  }
}
