import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import enAuth from '../locales/en/auth.json';
import enCommon from '../locales/en/common.json';
import enCustomerAdmin from '../locales/en/customerAdmin.json';
import enCustomers from '../locales/en/customers.json';
import enOperator from '../locales/en/operator.json';
import enPartner from '../locales/en/partner.json';
import jaAuth from '../locales/ja/auth.json';
import jaCommon from '../locales/ja/common.json';
import jaCustomerAdmin from '../locales/ja/customerAdmin.json';
import jaCustomers from '../locales/ja/customers.json';
import jaOperator from '../locales/ja/operator.json';
import jaPartner from '../locales/ja/partner.json';

/** The portal's languages (issue 12: English and Japanese). */
export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One namespace per area, so that the areas never edit the same strings file. */
export const NAMESPACES = [
  'common',
  'auth',
  'partner',
  'customers',
  'customerAdmin',
  'operator',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

/**
 * The `localStorage` key remembering the chosen language: the language only (`en` or `ja`),
 * nothing secret. Without it the browser's language decides (`navigator.languages`), English
 * when it is neither.
 */
export const LANGUAGE_STORAGE_KEY = 'pcp.language';

export const resources = {
  en: {
    common: enCommon,
    auth: enAuth,
    partner: enPartner,
    customers: enCustomers,
    customerAdmin: enCustomerAdmin,
    operator: enOperator,
  },
  ja: {
    common: jaCommon,
    auth: jaAuth,
    partner: jaPartner,
    customers: jaCustomers,
    customerAdmin: jaCustomerAdmin,
    operator: jaOperator,
  },
} as const;

/**
 * Starts i18next (react-i18next): every string bundled (no network load), `common` the default
 * namespace, the language detected from the remembered choice then the browser.
 */
export async function initI18n(): Promise<typeof i18next> {
  await i18next
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources,
      ns: [...NAMESPACES],
      defaultNS: 'common',
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      nonExplicitSupportedLngs: true,
      load: 'languageOnly',
      interpolation: { escapeValue: false },
      returnNull: false,
      detection: {
        order: ['localStorage', 'navigator'],
        lookupLocalStorage: LANGUAGE_STORAGE_KEY,
        caches: ['localStorage'],
      },
    });
  const sync = (lng: string): void => {
    document.documentElement.lang = currentLanguage(lng);
  };
  sync(i18next.resolvedLanguage ?? 'en');
  i18next.on('languageChanged', sync);
  return i18next;
}

/** `en` or `ja` from any language tag (`ja-JP` → `ja`); English otherwise. */
export function currentLanguage(tag: string | undefined): Language {
  const base = (tag ?? 'en').toLowerCase().split('-')[0];
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
}
