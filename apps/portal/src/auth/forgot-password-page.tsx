import { Button, Field, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { usePageTitle } from '../app/page-title';
import { PATHS } from '../app/paths';
import { RouterLink } from '../app/router-link';
import { useFormStyles } from './form-styles';

/**
 * Forgotten password (everyone): `POST /v1/auth/password-reset-requests`; the answer is the same
 * whether or not the address has an account (202). The emailed link opens identity's reset page,
 * after which the person signs in here with the new password.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const styles = useFormStyles();
  const api = useApi();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('auth:forgotPassword.title'));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { error: refused } = await api.POST('/v1/auth/password-reset-requests', {
        body: { email },
      });
      if (refused) setError(refused);
      else setSent(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('auth:forgotPassword.title')}</h1>
      {sent ? (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{t('auth:forgotPassword.sent', { email })}</MessageBarBody>
        </MessageBar>
      ) : (
        <>
          <p>{t('auth:forgotPassword.intro')}</p>
          <form className={styles.form} onSubmit={(e) => void submit(e)} noValidate>
            <ApiErrorBar error={error} />
            <Field label={t('auth:signIn.email')} required>
              <Input
                type="email"
                autoComplete="username"
                value={email}
                onChange={(_, data) => setEmail(data.value)}
              />
            </Field>
            <div className={styles.actions}>
              <Button type="submit" appearance="primary" disabled={busy}>
                {t('auth:forgotPassword.submit')}
              </Button>
            </div>
          </form>
        </>
      )}
      <p>
        <RouterLink to={PATHS.signIn}>{t('auth:forgotPassword.back')}</RouterLink>
      </p>
    </>
  );
}
