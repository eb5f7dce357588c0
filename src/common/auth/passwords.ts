import * as argon2 from 'argon2';

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, { type: argon2.argon2id });
}

// Verifying against a throwaway hash when the user does not exist keeps the answer time the same,
// so login cannot be used to find out which usernames exist.
let decoy: Promise<string> | undefined;

export async function verifyPassword(hash: string | null, plain: string): Promise<boolean> {
  if (hash === null) {
    decoy ??= hashPassword('decoy-password-never-matches');
    await argon2.verify(await decoy, plain);
    return false;
  }
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}
