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
    await this.checkUsable(claims, request);
    const resolve = await this.requests.eventAt(request.id, claims.seq);
    if (!resolve || resolve.type !== 'RESOLVE') throw invalid();
    const [unit, person] = await Promise.all([
      this.units.findById(request.ownerUnitId),
      resolve.actorId ? this.users.findById(resolve.actorId) : null,
    ]);
    return {
      reference: request.reference,
      title: request.title,
      resolution:
        typeof resolve.payload.resolution === 'string'
          ? resolve.payload.resolution
          : (request.resolution ?? ''),
      resolvedByUnit: unit?.name ?? '',
      resolvedByPerson: person?.displayName ?? null,
      resolvedAt: resolve.createdAt.toISOString(),
      expiresAt: claims.expiresAt.toISOString(),
    };
  }

  async answer(token: string, dto: FeedbackAnswerDto): Promise<FeedbackResultDto> {
    const claims = this.claimsOf(token);
    if (dto.rating === undefined && !dto.comment) {
      throw domainError(
        'VALIDATION.FAILED',
        'Give a rating of 1–5 to confirm, or a comment to dispute',
        {
          errors: [{ field: 'rating', messages: ['a rating (1–5) or a comment is needed'] }],
        },
      );
    }
    return this.db.transaction(async () => {
      const subject = await this.requests.lockForCommand(claims.requestId);
      if (!subject) throw invalid();
      await this.checkUsable(claims, subject.request);
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

  /** The link answers for the request's latest resolution, while it waits for feedback. */
  private async checkUsable(claims: FeedbackClaims, request: RequestEntity): Promise<void> {
    const latest = await this.requests.lastSeqOf(request.id, 'RESOLVE');
    if (latest === 0 || claims.seq > latest) throw invalid();
    if (claims.seq < latest) {
      throw domainError(
        'FEEDBACK.LINK_SUPERSEDED',
        'The work was done again since this link was sent; please use the newest link',
      );
    }
    if (request.state !== 'resolved') throw used();
    if (claims.expiresAt.getTime() <= Date.now()) {
      throw domainError(
        'FEEDBACK.LINK_EXPIRED',
        'The time to give feedback on this result has passed',
      );
    }
  }
}

const invalid = () => domainError('FEEDBACK.LINK_INVALID', 'This feedback link is not valid');
const used = () =>
  domainError(
    'FEEDBACK.LINK_USED',
    'Feedback on this result was already given, or the request was closed',
  );
