import { Inject, Injectable } from '@nestjs/common';
import { isTerminal } from '../../../workflows';
import type { Actor } from '../../common/auth/role';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { UnitRefDto } from '../units/dto/unit.dto';
import { UnitsService } from '../units/units.service';
import type { PossibleDuplicateDto, RequestRefDto } from './dto/request.dto';
import { canRead } from './request-policy';
import type { RequestEntity } from './requests.entity';
import { RequestsRepository } from './requests.repository';

/**
 * Titles this alike (shared ÷ all two-character grams) read as the same problem: 东村小学门口路灯不亮
 * and 东村小学门口的路灯不亮 share 8 of 11 (0.73); 路灯不亮 and 路灯坏了不亮 2 of 6 (0.33).
 */
export const TITLE_SIMILARITY = 0.6;
const SHOWN = 10;

/**
 * What staff see of duplicates on one request: the open requests that may be the same problem
 * (within the duplicate distance in its category, or a near-identical title in its branch), as
 * far as the caller's scope reaches, and the duplicates already merged into it.
 */
@Injectable()
export class RequestDuplicatesService {
  constructor(
    private readonly requests: RequestsRepository,
    private readonly units: UnitsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async of(
    actor: Actor,
    request: RequestEntity,
  ): Promise<{ possibleDuplicates: PossibleDuplicateDto[]; mergedDuplicates: RequestRefDto[] }> {
    const [possible, mergedDuplicates] = await Promise.all([
      this.possible(actor, request),
      this.requests.mergedInto(request.id),
    ]);
    return { possibleDuplicates: possible, mergedDuplicates };
  }

  private async possible(actor: Actor, request: RequestEntity): Promise<PossibleDuplicateDto[]> {
    // A closed, rejected or merged request has nothing left to merge.
    if (isTerminal(request.state)) return [];
    const distance = this.config.duplicateDistanceM;
    const [candidates, led] = await Promise.all([
      this.requests.possibleDuplicates(request, distance, TITLE_SIMILARITY, SHOWN * 2),
      this.units.ledBy(actor),
    ]);
    const found = candidates.filter((c) => canRead(actor, c, led)).slice(0, SHOWN);
    const branches = new Map(
      (await this.units.findByIds([...new Set(found.map((c) => c.branchId))])).map((u) => [
        u.id,
        UnitRefDto.from(u),
      ]),
    );
    return found.map((c) => {
      const nearby =
        c.distanceM !== null && c.distanceM <= distance && c.categoryId === request.categoryId;
      const similar = c.branchId === request.branchId && c.titleSimilarity >= TITLE_SIMILARITY;
      return {
        id: c.id,
        reference: c.reference,
        title: c.title,
        state: c.state,
        branch: branches.get(c.branchId) ?? { id: c.branchId, code: 'unknown', name: 'unknown' },
        createdAt: c.createdAt.toISOString(),
        reasons: [
          ...(nearby ? ['nearby' as const] : []),
          ...(similar ? ['similarTitle' as const] : []),
        ],
        distanceM: c.distanceM === null ? null : Math.round(c.distanceM),
        titleSimilarity: Math.round(c.titleSimilarity * 100) / 100,
      };
    });
  }
}
