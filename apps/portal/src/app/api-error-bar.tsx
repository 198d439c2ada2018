import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../api/api-error';
import { ApiFailure } from './api-result';

/**
 * The sentence to show for `error` in the viewer's language: the API's error format (or a network
 * failure) through `apiErrorMessage`, Microsoft Graph's `{ error: { code, message } }` (the GDAP
 * routes) as its code and message.
 */
export function useApiErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (error instanceof ApiFailure) {
      const graph = error.graphError;
      if (graph) return t('customers:errors.graph', { code: graph.code, message: graph.message });
    }
    return apiErrorMessage(t, error);
  };
}

/**
 * An API error (or a network failure) as an error MessageBar in the current language, announced
 * (`role="alert"`), with `title` above the sentence when given; nothing without an error.
 */
export function ApiErrorBar({ error, title }: { error: unknown; title?: string }) {
  const text = useApiErrorText();
  if (error === undefined || error === null) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {title ? (
          <>
            <MessageBarTitle>{title}</MessageBarTitle>
            <span>{text(error)}</span>
          </>
        ) : (
          text(error)
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
