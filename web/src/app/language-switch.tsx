// The language switch (中文 / English), labelled in both languages so either reader finds it.
import { Segmented } from 'antd';
import { useI18n } from '../i18n/locale.js';

export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { locale, setLocale } = useI18n();
  return (
    <Segmented
      aria-label="语言 / Language"
      size="small"
      style={dark ? { background: 'rgba(255,255,255,0.85)' } : undefined}
      value={locale}
      onChange={(v) => setLocale(v === 'en' ? 'en' : 'zh-CN')}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}
