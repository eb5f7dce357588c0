import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_PASSWORD_LENGTH = 10;

let common: Set<string> | undefined;

/** The shipped list of common passwords, lower-cased; read once, on first use. */
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(join(__dirname, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line && !line.startsWith('#')),
  );
  return common;
}

/**
 * Why a password set through the API is refused, naming the rule, or null when it is acceptable.
 * Length counts characters, not bytes, so a Chinese passphrase is measured as it reads.
 */
export function passwordWeakness(password: string, username: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  }
  const lower = password.toLowerCase();
  if (lower === username.trim().toLowerCase()) {
    return 'The password must not be the username';
  }
  if (commonPasswords().has(lower)) {
    return 'The password is one of the most common passwords; choose another';
  }
  return null;
}
