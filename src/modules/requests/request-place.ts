import { distanceMetres, isNullIsland, toWgs84 } from '../../common/geo/coordinates';
import type { PointDto } from '../../common/geo/point.dto';
import { domainError } from '../../common/errors/domain-error';
import { invalidFields } from '../../common/errors/validation-exception.factory';
import type { UnitEntity } from '../units/units.entity';
import { type ListRequestsQueryDto, parseNear } from './dto/list-requests.query';
import type { RequestEntity } from './requests.entity';
import type { NearFilter } from './requests.repository';

/** The radius of `near` when none is given, in metres. */
const NEAR_RADIUS_M = 500;

/** `near`, `radius` and `nearSystem` as a circle in WGS-84; the last two only with the first. */
export function nearFilterOf(query: ListRequestsQueryDto): NearFilter | undefined {
  const centre = parseNear(query.near);
  if (!centre) {
    const stray = (['radius', 'nearSystem'] as const).filter((f) => query[f] !== undefined);
    if (stray.length > 0) {
      throw invalidFields(stray.map((field) => ({ field, messages: [`${field} needs near`] })));
    }
    return undefined;
  }
  return {
    ...toWgs84(centre, query.nearSystem ?? 'wgs84'),
    radiusM: query.radius ?? NEAR_RADIUS_M,
  };
}

export type Place = Pick<RequestEntity, 'latitude' | 'longitude' | 'coordinateSystem'>;

const NOWHERE: Place = { latitude: null, longitude: null, coordinateSystem: null };

/**
 * The point a request is filed with, in WGS-84, once it is plausible for its town: not 0, 0 (a
 * phone without a position fix) and, when the town has an area, inside it. Without coastline
 * data a point in the sea is refused by the area: the sea beyond it, not a bay within it.
 */
export function placeOf(point: PointDto | undefined, town: UnitEntity): Place {
  if (!point) return NOWHERE;
  const wgs = toWgs84(point, point.coordinateSystem);
  if (isNullIsland(point)) {
    throw domainError(
      'REQUEST.POINT_OUTSIDE_AREA',
      'The point is 0, 0: the device had no position fix; leave the point out or try again',
      { field: 'point' },
    );
  }
  if (town.areaLatitude !== null && town.areaLongitude !== null && town.areaRadiusM !== null) {
    const centre = { latitude: town.areaLatitude, longitude: town.areaLongitude };
    const metres = distanceMetres(wgs, centre);
    if (metres > town.areaRadiusM) {
      throw domainError(
        'REQUEST.POINT_OUTSIDE_AREA',
        `The point is ${(metres / 1000).toFixed(1)} km from the centre of ${town.name}, which reaches ${(town.areaRadiusM / 1000).toFixed(1)} km; check the point and its coordinateSystem`,
        { field: 'point', distanceM: Math.round(metres), radiusM: town.areaRadiusM },
      );
    }
  }
  return { ...wgs, coordinateSystem: point.coordinateSystem };
}
