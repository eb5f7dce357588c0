import { startSession, type User } from '../session';

/** A signed-in session whose bearer token the test can look for on the calls made. */
export function signedInAs(
  user: Pick<User, 'id' | 'username' | 'displayName' | 'role'> & Partial<User>,
  accessToken: string,
): void {
  startSession(
    {
      accessToken,
      expiresIn: 900,
      refreshToken: `refresh-${accessToken}`,
      refreshExpiresIn: 43_200,
    },
    { unitId: 'b1', phone: null, active: true, ...user },
  );
}
