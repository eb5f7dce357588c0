/**
 * Points on the map. Phones and Chinese maps (Amap, Tencent) give GCJ-02, the offset system
 * China requires of published maps; GPS and Open311 clients give WGS-84. Points are stored in
 * WGS-84. Pure functions, no I/O.
 */
export const COORDINATE_SYSTEMS = ['wgs84', 'gcj02'] as const;
export type CoordinateSystem = (typeof COORDINATE_SYSTEMS)[number];

export interface LatLng {
  latitude: number;
  longitude: number;
}

/** The ellipsoid GCJ-02 is defined on (Krasovsky 1940). */
const A = 6378245.0;
const EE = 0.006693421622965943;

/** The box GCJ-02 applies in: outside it a GCJ-02 point is the WGS-84 point, unshifted. */
export function outOfChina(p: LatLng): boolean {
  return !(
    p.longitude >= 72.004 &&
    p.longitude <= 137.8347 &&
    p.latitude >= 0.8293 &&
    p.latitude <= 55.8271
  );
}

function shiftLatitude(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLongitude(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** How far GCJ-02 moves a WGS-84 point, in degrees. */
function offset(p: LatLng): LatLng {
  const x = p.longitude - 105;
  const y = p.latitude - 35;
  const rad = (p.latitude / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(rad) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  return {
    latitude: (shiftLatitude(x, y) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI),
    longitude: (shiftLongitude(x, y) * 180) / ((A / sqrtMagic) * Math.cos(rad) * Math.PI),
  };
}

/** The coordinates alone, without whatever else the object carries. */
const only = (p: LatLng): LatLng => ({ latitude: p.latitude, longitude: p.longitude });

export function wgs84ToGcj02(p: LatLng): LatLng {
  if (outOfChina(p)) return only(p);
  const d = offset(p);
  return { latitude: p.latitude + d.latitude, longitude: p.longitude + d.longitude };
}

/**
 * The inverse has no closed form. Starting from the point minus its own offset (within a couple
 * of metres), each round moves the guess by how far its forward image misses the given point,
 * until the miss is under a millionth of a metre.
 */
export function gcj02ToWgs84(p: LatLng): LatLng {
  if (outOfChina(p)) return only(p);
  const first = offset(p);
  let guess = { latitude: p.latitude - first.latitude, longitude: p.longitude - first.longitude };
  for (let i = 0; i < 30; i++) {
    const image = wgs84ToGcj02(guess);
    const dLat = image.latitude - p.latitude;
    const dLng = image.longitude - p.longitude;
    guess = { latitude: guess.latitude - dLat, longitude: guess.longitude - dLng };
    if (Math.abs(dLat) < 1e-11 && Math.abs(dLng) < 1e-11) break;
  }
  return guess;
}

export function toWgs84(p: LatLng, system: CoordinateSystem): LatLng {
  return system === 'gcj02' ? gcj02ToWgs84(p) : only(p);
}

/** The sphere earthdistance measures on, so this agrees with the database's distances. */
const EARTH_RADIUS_M = 6378168;

/** Great-circle distance in metres. */
export function distanceMetres(a: LatLng, b: LatLng): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Where a failed GPS fix lands (latitude 0, longitude 0, in the Gulf of Guinea): never a real report. */
export function isNullIsland(p: LatLng): boolean {
  return p.latitude === 0 && p.longitude === 0;
}
