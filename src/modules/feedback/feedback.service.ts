import { Inject, Injectable } from '@nestjs/common';
import { domainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { DatabaseService } from '../../database/database.service';
import { RequestCommandsService } from '../requests/request-commands.service';
import type { RequestEntity } from '../requests/requests.entity';
import { RequestsService } from '../requests/requests.service';
import { UnitsService } from '../units/units.service';
import { UsersService } from '../users/users.service';
import type { FeedbackAnswerDto, FeedbackResultDto, FeedbackViewDto } from './dto/feedback.dto';
import { type FeedbackClaims, feedbackKey, readFeedbackLink } from './feedback-link';

/**
 * The resident's one-tap feedback: the link sent with a resolution shows what was done and takes
 * a rating (CONFIRM) or a complaint (DISPUTE), without an account. A link answers for exactly one
 * resolution, until the feedback window closes, once.
 */
@Injectable()
export class FeedbackService {
  private readonly key: Buffer;

  constructor(
    private readonly requests: RequestsService,
    private readonly commands: RequestCommandsService,
    private readonly units: UnitsService,
    private readonly users: UsersService,
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = feedbackKey(config.jwtSecret);
  }

  async show(token: string): Promise<FeedbackViewDto> {
    const claims = this.claimsOf(token);
    const request = await this.requests.findById(claims.requestId);
    if (!request) throw invalid();
    const rated = await this.ratedRequest(request);
    await this.checkUsable(claims, request, rated);
    const resolve = await this.requests.eventAt(rated.id, claims.seq);
    if (!resolve || resolve.type !== 'RESOLVE') throw invalid();
    const [unit, person] = await Promise.all([
      this.units.findById(rated.ownerUnitId),
      resolve.actorId ? this.users.findById(resolve.actorId) : null,
    ]);
    return {
      reference: request.reference,
      title: request.title,
      resolution:
        typeof resolve.payload.resolution === 'string'
          ? resolve.payload.resolution
          : (rated.resolution ?? ''),
      resolvedByUnit: unit?.name ?? '',
      resolvedByPerson: person?.displayName ?? null,
      resolvedAt: resolve.createdAt.toISOString(),
      expiresAt: claims.expiresAt.toISOString(),
      mergedInto: rated.id === request.id ? null : rated.reference,
    };
  }

  async answer(token: string, dto: FeedbackAnswerDto): Promise<FeedbackResultDto> {
    const claims = this.claimsOf(token);
    if (dto.rating === undefined && !dto.comment) {
      throw ratingNeeded('Give a rating of 1–5 to confirm, or a comment to dispute');
    }
    return this.db.transaction(async () => {
      const subject = await this.requests.lockForCommand(claims.requestId);
      if (!subject) throw invalid();
      const rated = await this.ratedRequest(subject.request);
      await this.checkUsable(claims, subject.request, rated);
      if (rated !== subject.request && dto.rating === undefined) {
        // A duplicate's resident rates the original's result; disputing it is its own resident's.
        throw ratingNeeded(
          `This request was merged into ${rated.reference}: give a rating of 1–5 (1 or 2 says it is not solved)`,
        );
      }
      const event =
        dto.rating !== undefined
          ? {
              type: 'CONFIRM' as const,
              rating: dto.rating,
              ...(dto.comment ? { comment: dto.comment } : {}),
            }
          : { type: 'DISPUTE' as const, comment: dto.comment as string };
      const after = await this.commands.applyFromFeedbackLink(subject, event);
      if (!after) throw used();
      return {
        outcome: event.type === 'CONFIRM' ? ('confirmed' as const) : ('disputed' as const),
        reference: after.reference,
      };
    });
  }

  private claimsOf(token: string): FeedbackClaims {
    const claims = readFeedbackLink(this.key, token);
    if (!claims) throw invalid();
    return claims;
  }

  /** Whose resolution the link rates: the request's own, or for a merged duplicate its original's. */
  private async ratedRequest(request: RequestEntity): Promise<RequestEntity> {
    if (!request.mergedIntoId) return request;
    const original = await this.requests.originalOf(request.id);
    if (!original) throw invalid();
    return original;
  }

  /**
   * The link answers for the latest resolution of the request it rates, while it waits for
   * feedback (a duplicate's resident: until they have rated, within the original's window).
   */
  private async checkUsable(
    claims: FeedbackClaims,
    request: RequestEntity,
    rated: RequestEntity,
  ): Promise<void> {
    const latest = await this.requests.lastSeqOf(rated.id, 'RESOLVE');
    if (latest === 0 || claims.seq > latest) throw invalid();
    if (claims.seq < latest) {
      throw domainError(
        'FEEDBACK.LINK_SUPERSEDED',
        'The work was done again since this link was sent; please use the newest link',
      );
    }
    const waiting = rated === request ? request.state === 'resolved' : request.rating === null;
    if (!waiting) throw used();
    if (claims.expiresAt.getTime() <= Date.now()) {
      throw domainError(
        'FEEDBACK.LINK_EXPIRED',
        'The time to give feedback on this result has passed',
      );
    }
  }
}

const invalid = () => domainError('FEEDBACK.LINK_INVALID', 'This feedback link is not valid');
const ratingNeeded = (message: string) =>
  domainError('VALIDATION.FAILED', message, {
    errors: [{ field: 'rating', messages: ['a rating (1–5) is needed'] }],
  });
const used = () =>
  domainError(
    'FEEDBACK.LINK_USED',
    'Feedback on this result was already given, or the request was closed',
  );
