import { Card, CardHeader, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useSession } from '../api/session-context';
import { useShell } from '../app/outlet-context';
import { usePageTitle } from '../app/page-title';
import { RouterLink } from '../app/router-link';

/**
 * The home page of the signed-in audience: who is signed in to which organisation, what this
 * audience does in the portal, and the links of its navigation.
 */
export function HomePage() {
  const { t } = useTranslation();
  const { me, audience } = useSession();
  const { routes } = useShell();
  const location = useLocation();
  usePageTitle(t('common:home'));
  if (!me || !audience) return null;
  const links = routes.filter((r) => r.nav?.audience.includes(audience));
  const passwordChanged = (location.state as { passwordChanged?: boolean } | null)?.passwordChanged;
  return (
    <>
      <h1>{t('auth:home.welcome', { name: me.user.firstName })}</h1>
      {passwordChanged && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{t('auth:home.passwordChanged')}</MessageBarBody>
        </MessageBar>
      )}
      <Card>
        <CardHeader
          header={<Text weight="semibold">{me.tenant.name}</Text>}
          description={t(`auth:home.audience.${audience}`)}
        />
        <Text>{t(`auth:home.canDo.${audience}`)}</Text>
      </Card>
      <h2>{t('auth:home.whatYouCanDo')}</h2>
      {links.length > 0 ? (
        <ul>
          {links.map((r) => (
            <li key={r.path}>
              <RouterLink to={`/${r.path.replace(/^\//, '')}`}>{t(r.nav!.labelKey)}</RouterLink>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('auth:home.noPages')}</p>
      )}
    </>
  );
}
