import { Button, Field, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { apiErrorName } from '../api/api-error';
import { changePassword, PortalApiError } from '../api/portal-session';
import { useSession } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { usePageTitle } from '../app/page-title';
import { PATHS } from '../app/paths';
import { useFormStyles } from './form-styles';

/** The rules of the password policy (`data[0].failedRules` of 400 `user.weak_password`). */
const RULES = [
  'min_length',
  'max_length',
  'character_classes',
  'contains_email',
  'common_password',
] as const;

/**
 * Change the password (everyone); while the password is temporary every other page leads here.
 * The new password is typed twice; the policy's failed rules are listed in the viewer's language.
 */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const styles = useFormStyles();
  const session = useSession();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [failedRules, setFailedRules] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('auth:changePassword.title'));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setFailedRules([]);
    if (next !== confirmation) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    try {
      await changePassword({ currentPassword: current, newPassword: next });
      await session.reload(false);
      await navigate(PATHS.home, { replace: true, state: { passwordChanged: true } });
    } catch (caught) {
      if (caught instanceof PortalApiError && apiErrorName(caught) === 'user.weak_password') {
        const details = caught.data[0] as { failedRules?: string[] } | undefined;
        setFailedRules(details?.failedRules ?? []);
      }
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('auth:changePassword.title')}</h1>
      {session.passwordChangeRequired && (
        <MessageBar intent="warning">
          <MessageBarBody>{t('auth:changePassword.required')}</MessageBarBody>
        </MessageBar>
      )}
      <p>{t('auth:changePassword.policy')}</p>
      <form className={styles.form} onSubmit={(e) => void submit(e)} noValidate>
        <ApiErrorBar error={error} />
        {failedRules.length > 0 && (
          <ul aria-label={t('auth:changePassword.failedRules')}>
            {RULES.filter((rule) => failedRules.includes(rule)).map((rule) => (
              <li key={rule}>{t(`auth:changePassword.rules.${rule}`)}</li>
            ))}
          </ul>
        )}
        <Field label={t('auth:changePassword.current')} required>
          <Input
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(_, data) => setCurrent(data.value)}
          />
        </Field>
        <Field label={t('auth:changePassword.new')} required>
          <Input
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(_, data) => setNext(data.value)}
          />
        </Field>
        <Field
          label={t('auth:changePassword.confirm')}
          required
          validationState={mismatch ? 'error' : 'none'}
          validationMessage={mismatch ? t('auth:changePassword.mismatch') : undefined}
        >
          <Input
            type="password"
            autoComplete="new-password"
            value={confirmation}
            onChange={(_, data) => setConfirmation(data.value)}
          />
        </Field>
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" disabled={busy}>
            {t('auth:changePassword.submit')}
          </Button>
        </div>
      </form>
    </>
  );
}
