import { Injectable } from '@nestjs/common';
import type { ResidentRequestEvent } from '../../../workflows';
import type { Actor } from '../../common/auth/role';
import { DomainError, domainError } from '../../common/errors/domain-error';
import { asReference } from './request-reference';
import type { RequestEntity } from './requests.entity';
import { RequestsRepository } from './requests.repository';
import { RequestsService } from './requests.service';

type Merge = Extract<ResidentRequestEvent, { type: 'MERGE' }>;

/** The states an original may be in to take a duplicate: still being worked on. */
const OPEN_ORIGINAL = new Set(['submitted', 'accepted', 'escalated', 'assigned']);

/**
 * The original a MERGE names, checked for the caller inside the command's transaction: one they
 * see (else 404, as any request outside their scope), not the duplicate itself, not one merged
 * into it, and still being worked on.
 */
@Injectable()
export class RequestMergeService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly queries: RequestsService,
  ) {}

  /** The event with the original's id, and its reference number to keep in the event. */
  async resolve(
    actor: Actor,
    duplicate: RequestEntity,
    event: Merge,
  ): Promise<{ resolved: Merge; given: Record<string, unknown> }> {
    // Merges of a town wait for one another, so two crossing merges (A into B, B into A) cannot
    // both read their original as open; the second then sees the first's result.
    await this.requests.lockMerges(duplicate.townId);
    const into = asReference(event.intoRequestId) ?? event.intoRequestId;
    const original = await this.queries.findVisible(actor, into).catch((e: unknown) => {
      if (!(e instanceof DomainError) || e.code !== 'REQUEST.NOT_FOUND') throw e;
      throw domainError('REQUEST.NOT_FOUND', 'No such request to merge into (intoRequestId)', {
        field: 'intoRequestId',
      });
    });
    if (original.id === duplicate.id) {
      throw domainError('REQUEST.MERGE_INTO_ITSELF', 'A request cannot be merged into itself');
    }
    if (!OPEN_ORIGINAL.has(original.state)) {
      // Only a merged request has a chain, and a merged request is closed: the chain is read only
      // to say why this original cannot take the duplicate.
      if ((await this.requests.mergeChain(original.id)).includes(duplicate.id)) {
        throw domainError(
          'REQUEST.MERGE_CYCLE',
          `${original.reference} was itself merged into this request`,
        );
      }
      throw domainError(
        'REQUEST.MERGE_TARGET_NOT_OPEN',
        `${original.reference} is ${original.state}; merge only into a request still being worked on`,
        { originalState: original.state },
      );
    }
    return {
      resolved: { ...event, intoRequestId: original.id },
      given: { intoReference: original.reference },
    };
  }
}
