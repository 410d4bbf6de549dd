import { useI18n } from '../i18n/i18n';

export function LanguageToggle() {
  const { t, language, setLanguage } = useI18n();
  return (
    <button
      type="button"
      className="link-button"
      lang={language === 'no' ? 'en' : 'nb'}
      aria-label={t('switchLanguageLabel')}
      onClick={() => setLanguage(language === 'no' ? 'en' : 'no')}
    >
      {t('switchLanguage')}
    </button>
  );
}
