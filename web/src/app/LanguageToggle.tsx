import { useI18n } from '../i18n/i18n';

/** The other language, named in itself (lang set), as the one button between them. */
export function LanguageToggle() {
  const { t, language, setLanguage } = useI18n();
  return (
    <button
      type="button"
      className="link-button"
      lang={language === 'no' ? 'en' : 'nb'}
      onClick={() => setLanguage(language === 'no' ? 'en' : 'no')}
    >
      {t('switchLanguage')}
    </button>
  );
}
