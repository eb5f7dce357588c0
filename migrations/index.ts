import { ClosedLoopSchema1763800000000 } from './1763800000000-closed-loop-schema';
import { ClocksAndNotifications1763900000000 } from './1763900000000-clocks-and-notifications';
import { Supervision1764000000000 } from './1764000000000-supervision';
import { SupervisionIndexes1764100000000 } from './1764100000000-supervision-indexes';
import { SupervisionRollup1764200000000 } from './1764200000000-supervision-rollup';
import { ResolveDueFollowsClock1764300000000 } from './1764300000000-resolve-due-follows-clock';
import { TokenRevocation1764400000000 } from './1764400000000-token-revocation';
import { WorkQueues1764500000000 } from './1764500000000-work-queues';
import { MessagesForEveryStep1764600000000 } from './1764600000000-messages-for-every-step';
import { Evidence1764700000000 } from './1764700000000-evidence';
import { PlaceDuplicatesOnSpot1764800000000 } from './1764800000000-place-duplicates-on-spot';
import { ContactLeadersAndFairRanking1764900000000 } from './1764900000000-contact-leaders-and-fair-ranking';
import { MilestonePlans1765000000000 } from './1765000000000-milestone-plans';

/** Every migration, in order. Listed explicitly so the same list runs from TypeScript and from dist. */
export const MIGRATIONS = [
  ClosedLoopSchema1763800000000,
  ClocksAndNotifications1763900000000,
  Supervision1764000000000,
  SupervisionIndexes1764100000000,
  SupervisionRollup1764200000000,
  ResolveDueFollowsClock1764300000000,
  TokenRevocation1764400000000,
  WorkQueues1764500000000,
  MessagesForEveryStep1764600000000,
  Evidence1764700000000,
  PlaceDuplicatesOnSpot1764800000000,
  ContactLeadersAndFairRanking1764900000000,
  MilestonePlans1765000000000,
];
