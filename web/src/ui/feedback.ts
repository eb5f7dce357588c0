import { showConfirmDialog, showFailToast, showSuccessToast } from 'vant';
import 'vant/es/dialog/style';
import 'vant/es/toast/style';
import { ApiError } from '../api/client';
import { i18n } from '../i18n';

const { t, te } = i18n.global;

/** What to tell a person about a failed call, in their language. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.generic', { code: 'APP' });
  if (error.code === 'NETWORK') return t('errors.network');
  if (error.code === 'REQUEST.VERSION_CONFLICT' || error.code === 'REQUEST.PRECONDITION_FAILED')
    return t('errors.conflict');
  if (error.code === 'REQUEST.TRANSITION_NOT_ALLOWED') return t('errors.notAllowed');
  if (error.code === 'AUTH.INVALID_CREDENTIALS') return t('signIn.failed');
  if (error.status === 401) return t('signIn.expired');
  if (error.code === 'VALIDATION.FAILED') return t('errors.validation', { detail: error.message });
  // A code an area of the app has its own words for (`errorCodes.ATTACHMENT.TOO_LARGE`).
  if (te(`errorCodes.${error.code}`)) return t(`errorCodes.${error.code}`);
  if (error.status === 403) return t('errors.forbidden');
  if (error.status === 404) return t('errors.notFound');
  return t('errors.generic', { code: error.code });
}

/** Says what went wrong in a toast: a message of the app's own, or a failed call's. */
export const warn = (message: string): void => {
  showFailToast({ message, wordBreak: 'break-word' });
};

export const fail = (error: unknown): void => warn(errorText(error));

export const succeed = (message: string): void => {
  showSuccessToast(message);
};

/** Yes or no; resolves false when the person cancels. */
export async function confirm(message: string): Promise<boolean> {
  try {
    await showConfirmDialog({
      message,
      confirmButtonText: t('actions.send'),
      cancelButtonText: t('app.cancel'),
    });
    return true;
  } catch {
    return false;
  }
}

/** One formatter per language and shape: building an Intl.DateTimeFormat is slow. */
function cached(
  formats: Map<string, Intl.DateTimeFormat>,
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(locale, format);
  }
  return format;
}

const DAY: Intl.DateTimeFormatOptions = {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
};
const TIME: Intl.DateTimeFormatOptions = {
  ...DAY,
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
};
const times = new Map<string, Intl.DateTimeFormat>();
const days = new Map<string, Intl.DateTimeFormat>();

/** A moment as the towns read it (Asia/Shanghai), in the app's language. */
export function formatTime(iso: string): string {
  return cached(times, i18n.global.locale.value, TIME).format(new Date(iso));
}

/** The day of a moment as the towns read it (Asia/Shanghai), in the given language. */
export function formatDay(iso: string, locale: string = i18n.global.locale.value): string {
  return cached(days, locale, DAY).format(new Date(iso));
}
