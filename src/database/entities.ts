import { CategoryEntity } from '../modules/categories/categories.entity';
import { RequestEventEntity } from '../modules/requests/request-event.entity';
import { RequestEntity } from '../modules/requests/requests.entity';
import { UnitEntity } from '../modules/units/units.entity';
import { UserEntity } from '../modules/users/users.entity';

export const ENTITIES = [UnitEntity, UserEntity, CategoryEntity, RequestEntity, RequestEventEntity];
