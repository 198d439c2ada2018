import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the document's title to `<title> – <app name>` while the page is shown. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  const appName = t('common:appName');
  useEffect(() => {
    document.title = `${title} – ${appName}`;
  }, [title, appName]);
}
