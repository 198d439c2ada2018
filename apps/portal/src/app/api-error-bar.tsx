import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../api/api-error';

/** An API error (or a network failure) as an error MessageBar in the current language. */
export function ApiErrorBar({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error === undefined || error === null) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{apiErrorMessage(t, error)}</MessageBarBody>
    </MessageBar>
  );
}
