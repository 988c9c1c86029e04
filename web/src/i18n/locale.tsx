// The console's language: zh-CN or en, defaulting to the browser's and kept in localStorage; it
// drives antd's locale, the console's own texts and the domain's problem messages alike.
import { ConfigProvider } from 'antd';
import * as enLocale from 'antd/es/locale/en_US.js';
import * as zhLocale from 'antd/es/locale/zh_CN.js';
import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useState,
  type ComponentProps,
  type ReactNode,
} from 'react';
import type { Locale } from '../../../src/domain/index.js';
import { TEXTS, type TextKey } from './texts.js';

const STORAGE_KEY = 'kuberack.locale';
type AntLocale = NonNullable<ComponentProps<typeof ConfigProvider>['locale']>;

/** antd's locale files are typed as CommonJS but bundled as ES modules: find the locale object either way. */
function antLocale(mod: unknown): AntLocale {
  let m = mod as { default?: unknown; locale?: unknown };
  while (m.locale === undefined && typeof m.default === 'object' && m.default !== null)
    m = m.default as { default?: unknown; locale?: unknown };
  return m as AntLocale;
}
const enUS = antLocale(enLocale);
const zhCN = antLocale(zhLocale);

export function browserLocale(languages: readonly string[]): Locale {
  return languages[0]?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  return browserLocale(globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en']);
}

export type Params = Readonly<Record<string, string | number>>;

export interface I18n {
  readonly locale: Locale;
  setLocale(locale: Locale): void;
  /** The console text `key` in the current language, `{name}` filled from params. */
  t(key: TextKey, params?: Params): string;
}

const I18nContext = createContext<I18n | null>(null);

export function translate(locale: Locale, key: TextKey, params: Params = {}): string {
  const entry = TEXTS[key];
  const text = locale === 'zh-CN' ? entry.zh : entry.en;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((l: Locale) => {
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }),
    [locale, setLocale],
  );
  document.documentElement.lang = locale;
  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider
        locale={locale === 'zh-CN' ? zhCN : enUS}
        button={{ autoInsertSpace: false }}
        theme={{ token: { colorPrimary: '#ff6a00' } }}
      >
        {children}
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
