import { Button, Field, Input, Radio, RadioGroup } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { apiErrorName } from '../api/api-error';
import { PortalApiError, type OrganizationChoice } from '../api/portal-session';
import { useSession } from '../api/session-context';
import { ApiErrorBar } from '../app/api-error-bar';
import { usePageTitle } from '../app/page-title';
import { PATHS } from '../app/paths';
import { RouterLink } from '../app/router-link';
import { PARTNER_PATHS } from '../partner/partner-paths';
import { useFormStyles } from './form-styles';

/** Where to go after signing in: `next` when it is a portal path, the home page otherwise. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : PATHS.home;
}

/**
 * Sign in (everyone): email and password through the cookie session; when the password fits
 * accounts of several organisations (409 `auth.organization_required`), the organisations to
 * choose from, and the sign-in again naming the chosen one. A temporary password leads to the
 * password change.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const styles = useFormStyles();
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [organizations, setOrganizations] = useState<OrganizationChoice[] | null>(null);
  const [organization, setOrganization] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('auth:signIn.title'));

  if (session.status === 'signed-in' && !busy) {
    return <Navigate to={session.passwordChangeRequired ? PATHS.changePassword : PATHS.home} />;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn({
        email,
        password,
        ...(organizations && organization ? { organization } : {}),
      });
      await navigate(safeNext(params.get('next')), { replace: true });
    } catch (caught) {
      if (
        caught instanceof PortalApiError &&
        apiErrorName(caught) === 'auth.organization_required'
      ) {
        const choices = caught.data as OrganizationChoice[];
        setOrganizations(choices);
        setOrganization(choices[0]?.id ?? '');
      } else {
        setError(caught);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('auth:signIn.title')}</h1>
      <p>{t('auth:signIn.intro')}</p>
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
        <Field label={t('auth:signIn.password')} required>
          <Input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(_, data) => setPassword(data.value)}
          />
        </Field>
        {organizations && (
          <Field
            label={t('auth:signIn.organization')}
            hint={t('auth:signIn.organizationHint')}
            required
          >
            <RadioGroup value={organization} onChange={(_, data) => setOrganization(data.value)}>
              {organizations.map((o) => (
                <Radio key={o.id} value={o.id} label={o.name} />
              ))}
            </RadioGroup>
          </Field>
        )}
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" disabled={busy}>
            {busy ? t('auth:signIn.submitting') : t('auth:signIn.submit')}
          </Button>
          <RouterLink to={PATHS.forgotPassword}>{t('auth:signIn.forgot')}</RouterLink>
        </div>
      </form>
      <section aria-labelledby="sign-in-new-here">
        <h2 id="sign-in-new-here">{t('auth:signIn.newHere')}</h2>
        <ul>
          <li>
            <RouterLink to={PARTNER_PATHS.enroll}>{t('auth:signIn.enroll')}</RouterLink>
          </li>
          <li>
            <RouterLink to={PARTNER_PATHS.findProvider}>{t('auth:signIn.findProvider')}</RouterLink>
          </li>
        </ul>
        <p>{t('auth:signIn.customerHint')}</p>
      </section>
    </>
  );
}
