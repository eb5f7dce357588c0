import { createI18n } from 'vue-i18n';
import { en, zhCN } from './messages';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'closed-loop.locale';

function storedLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return (LOCALES as readonly string[]).includes(saved ?? '') ? (saved as Locale) : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en } satisfies Record<Locale, typeof zhCN>,
});

/** Switches the language of the app, of <html lang> and of what the API writes (notifications). */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

export const currentLocale = (): Locale => i18n.global.locale.value as Locale;

/** The Accept-Language the API understands: notifications come back in the app's language. */
export const acceptLanguage = (): string => (currentLocale() === 'en' ? 'en' : 'zh-CN');
