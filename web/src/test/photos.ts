import { vi } from 'vitest';
import { type Role, startSession } from '../session';

/** The blob: URLs a component makes and revokes, recorded instead of made. */
export function trackBlobUrls(): { created: string[]; revoked: string[] } {
  const urls = { created: [] as string[], revoked: [] as string[] };
  vi.spyOn(URL, 'createObjectURL').mockImplementation(() => {
    const url = `blob:test/${urls.created.length + 1}`;
    urls.created.push(url);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => {
    urls.revoked.push(url);
  });
  return urls;
}

/** A signed-in session whose bearer token the test can look for on the calls made. */
export function signedInAs(
  user: { id: string; username: string; displayName: string; role: Role },
  accessToken: string,
): void {
  startSession(
    {
      accessToken,
      expiresIn: 900,
      refreshToken: `refresh-${accessToken}`,
      refreshExpiresIn: 43_200,
    },
    { ...user, unitId: 'b1', phone: null, active: true },
  );
}
