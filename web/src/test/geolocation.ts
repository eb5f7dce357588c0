import { vi } from 'vitest';

type Answer =
  { coords: { latitude: number; longitude: number; accuracy: number } } | { code: 1 | 2 | 3 };

/** The phone's Geolocation API, answering as told (a position or an error code). */
export function phone(answer: Answer) {
  const getCurrentPosition = vi.fn(
    (ok: PositionCallback, no: PositionErrorCallback, _options?: PositionOptions) => {
      if ('coords' in answer) ok(answer as unknown as GeolocationPosition);
      else no(answer as unknown as GeolocationPositionError);
    },
  );
  Object.defineProperty(navigator, 'geolocation', {
    configurable: true,
    get: () => ({ getCurrentPosition }),
  });
  return getCurrentPosition;
}

/** A phone that finds itself at the given point. */
export const phoneAt = (latitude: number, longitude: number): void => {
  phone({ coords: { latitude, longitude, accuracy: 12 } });
};
