import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../api/api-error';
import { ApiFailure } from './api-result';

/** The sentence to show for `error` in the viewer's language (API or Graph error format). */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation('customers');
  return (error) => {
    if (error instanceof ApiFailure) {
      const graph = error.graphError;
      if (graph) return t('customers:errors.graph', { code: graph.code, message: graph.message });
      return apiErrorMessage(t, error.body ?? error);
    }
    return apiErrorMessage(t, error);
  };
}

/** An error message bar (role "alert" through Fluent's MessageBar intent), or nothing. */
export function ErrorBar({ error }: { error: unknown }) {
  const { t } = useTranslation('customers');
  const text = useErrorText();
  if (error === undefined || error === null) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{t('customers:errors.title')}</MessageBarTitle>
        <span>{text(error)}</span>
      </MessageBarBody>
    </MessageBar>
  );
}
