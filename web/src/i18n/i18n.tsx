import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { no, type Messages } from './no';

export type Language = 'no' | 'en';
export type MessageKey = keyof Messages;

interface I18n {
  language: Language;
  t: (key: MessageKey) => string;
  /** A message with its {placeholders} filled in. */
  tf: (key: MessageKey, values: Record<string, string | number>) => string;
  setLanguage: (language: Language) => void;
  /** Dates and times in the language's format, in the browser's time zone. */
  formatDateTime: (iso: string | null | undefined) => string;
}

const DICTIONARIES: Record<Language, Messages> = { no, en };
const STORAGE_KEY = 'nokkel.language';
const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'no';
}

/** Norwegian first; English when chosen (kept in localStorage, set as <html lang>). */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language === 'no' ? 'nb' : 'en';
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const messages = DICTIONARIES[language];
    const format = new Intl.DateTimeFormat(language === 'no' ? 'nb-NO' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    return {
      language,
      setLanguage,
      t: (key) => messages[key],
      tf: (key, values) => messages[key].replace(/\{(\w+)\}/g, (all, name: string) => String(values[name] ?? all)),
      formatDateTime: (iso) => (iso ? format.format(new Date(iso)) : messages.none),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
