import { createI18n } from 'vue-i18n';
import en from './en.json';
import zhCN from './zh-CN.json';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type MessageTree = { [key: string]: string | MessageTree };

/**
 * Each area of the app may keep its words in files of its own, `<area>.zh-CN.json` and
 * `<area>.en.json` beside the main two, so that work on different screens does not edit the same
 * file. They are merged into one tree per language; a test checks that no file repeats a key
 * another one has and that both languages have the same keys.
 */
export const AREA_MESSAGES: Record<Locale, Record<string, MessageTree>> = {
  'zh-CN': import.meta.glob<MessageTree>('./*.zh-CN.json', { eager: true, import: 'default' }),
  en: import.meta.glob<MessageTree>('./*.en.json', { eager: true, import: 'default' }),
};

function merge(into: MessageTree, from: MessageTree): MessageTree {
  for (const [key, value] of Object.entries(from)) {
    const there = into[key];
    into[key] =
      typeof value === 'object' && typeof there === 'object' ? merge({ ...there }, value) : value;
  }
  return into;
}

export const MESSAGES: Record<Locale, MessageTree> = {
  'zh-CN': Object.values(AREA_MESSAGES['zh-CN']).reduce(merge, merge({}, zhCN)),
  en: Object.values(AREA_MESSAGES.en).reduce(merge, merge({}, en)),
};

const STORAGE_KEY = 'closed-loop.locale';

function storedLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return (LOCALES as readonly string[]).includes(saved ?? '') ? (saved as Locale) : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: MESSAGES,
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
