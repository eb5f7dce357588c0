import { ApiError } from '../api/client';
import { i18n } from '../i18n';
import { fail, warn } from '../ui/feedback';

/** The admin endpoints' refusals an admin can fix, each in words (admin.errors.*). */
const KNOWN = [
  'CALENDAR.INVALID',
  'CATEGORY.DUPLICATE',
  'SLA.INVALID_DURATION',
  'UNIT.AREA_NOT_ALLOWED',
  'UNIT.DUPLICATE',
  'UNIT.INVALID_CONTACT_LEADER',
  'UNIT.INVALID_PARENT',
  'UNIT.IN_USE',
  'UNIT.REF_PREFIX_REQUIRED',
  'USER.DUPLICATE',
  'USER.INVALID_UNIT',
  'USER.WEAK_PASSWORD',
  'WEBHOOK.INVALID_UNIT',
  'WEBHOOK.URL_NOT_ALLOWED',
] as const;

/** Key of the words for a refusal; the API's detail follows them, as it names the exact rule. */
export function adminErrorKey(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const code = KNOWN.find((c) => c === error.code);
  return code ? `admin.errors.${code.replace('.', '_')}` : null;
}

export function adminFail(error: unknown): void {
  const key = adminErrorKey(error);
  if (!key || !(error instanceof ApiError)) fail(error);
  else warn(i18n.global.t(key, { detail: error.message }));
}
