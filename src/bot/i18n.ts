import { en } from "./locales/en.ts";
import { zh } from "./locales/zh.ts";

export type Locale = "zh" | "en";
export type MessageKey = keyof typeof zh;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogs: Record<Locale, Record<MessageKey, string>> = { zh, en };

/** A translator for one locale; `{name}` placeholders are filled from params. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) =>
    catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? `{${name}}`));
}

export interface Localized {
  zh: string;
  en: string;
}

export const pick = (text: Localized, locale: Locale) => text[locale];
