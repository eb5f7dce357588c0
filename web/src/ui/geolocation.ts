/**
 * Where the phone says it is. The browser's Geolocation API answers in WGS-84 whatever maps the
 * phone has (only Chinese map apps shift to GCJ-02), so a fix is sent as `wgs84`.
 */
export interface Fix {
  latitude: number;
  longitude: number;
  /** Metres, as the phone estimates them (95 % confidence). */
  accuracyM: number;
}

/** Why there is no fix, each with its own words for the person. */
export type LocateProblem = 'unsupported' | 'insecure' | 'denied' | 'unavailable' | 'timeout';

export class LocateError extends Error {
  constructor(readonly problem: LocateProblem) {
    super(`no position: ${problem}`);
  }
}

/** Long enough for a cold GPS start outdoors; the typed address is there if it runs out. */
export const LOCATE_TIMEOUT_MS = 10_000;

/** The numeric codes of GeolocationPositionError (the class itself is missing in some engines). */
const PROBLEM_OF_CODE: Record<number, LocateProblem> = {
  1: 'denied',
  2: 'unavailable',
  3: 'timeout',
};

/**
 * A fresh position fix, as accurate as the phone can give within the timeout. Never a cached one
 * (`maximumAge: 0`): "locate again" after a refused or poor fix must ask the receiver anew.
 */
export function locate(): Promise<Fix> {
  // Browsers give positions only to https pages (and localhost): say that, not "denied".
  if (globalThis.isSecureContext === false) return Promise.reject(new LocateError('insecure'));
  const geolocation = globalThis.navigator?.geolocation;
  if (!geolocation) return Promise.reject(new LocateError('unsupported'));
  return new Promise((resolve, reject) => {
    geolocation.getCurrentPosition(
      ({ coords }) => {
        // 0, 0 is what a receiver without a fix reports, not a place in a town.
        if (coords.latitude === 0 && coords.longitude === 0) {
          reject(new LocateError('unavailable'));
          return;
        }
        resolve({
          latitude: coords.latitude,
          longitude: coords.longitude,
          accuracyM: coords.accuracy,
        });
      },
      (error) => reject(new LocateError(PROBLEM_OF_CODE[error.code] ?? 'unavailable')),
      { enableHighAccuracy: true, timeout: LOCATE_TIMEOUT_MS, maximumAge: 0 },
    );
  });
}
