import {
  Button,
  makeStyles,
  Select,
  Spinner,
  Text,
  Title3,
  tokens,
  useId,
} from '@fluentui/react-components';
import { Suspense, useRef, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../api/session-context';
import { currentLanguage, LANGUAGES } from '../i18n/i18n';
import { PATHS } from './paths';
import type { ShellContext } from './outlet-context';
import type { PortalRoute } from './portal-route';
import { RouterLink } from './router-link';
import { usePageFocus } from './use-page-focus';

const useStyles = makeStyles({
  root: { minHeight: '100vh', display: 'flex', flexDirection: 'column' },
  skip: {
    position: 'absolute',
    left: '-10000px',
    ':focus': { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalS, zIndex: 1 },
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  title: { color: tokens.colorNeutralForegroundOnBrand, flexGrow: 1 },
  tools: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  body: { display: 'flex', flexGrow: 1 },
  nav: {
    minWidth: '220px',
    padding: tokens.spacingHorizontalL,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  navList: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  main: { flexGrow: 1, padding: tokens.spacingHorizontalXXL, maxWidth: '1100px' },
});

/** The language switch: English or Japanese, remembered in `localStorage` (language only). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId('language');
  return (
    <div>
      <label htmlFor={id}>
        <Text>{t('common:language')}</Text>
      </label>{' '}
      <Select
        id={id}
        value={currentLanguage(i18n.resolvedLanguage)}
        onChange={(_, data) => void i18n.changeLanguage(data.value)}
      >
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {t(`common:languages.${lng}`)}
          </option>
        ))}
      </Select>
    </div>
  );
}

/** The navigation links of the signed-in audience (the routes' `nav`). */
export function Navigation({ routes }: { routes: PortalRoute[] }) {
  const { t } = useTranslation();
  const { audience } = useSession();
  const styles = useStyles();
  const links = routes.filter((r) => audience && r.nav?.audience.includes(audience));
  return (
    <nav className={styles.nav} aria-label={t('common:navigation')}>
      <ul className={styles.navList}>
        <li>
          <RouterLink to={PATHS.home}>{t('common:home')}</RouterLink>
        </li>
        {links.map((r) => (
          <li key={r.path}>
            <RouterLink to={`/${r.path.replace(/^\//, '')}`}>{t(r.nav!.labelKey)}</RouterLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The frame of every page: the skip link to the main content (the first stop of the keyboard),
 * header (name, language, sign out), navigation, main landmark; focus moves to each new page's
 * heading ({@link usePageFocus}).
 */
export function AppShell({ routes }: { routes: PortalRoute[] }) {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const styles = useStyles();
  const main = useRef<HTMLElement>(null);
  usePageFocus(main, location.pathname);
  const signedIn = session.status === 'signed-in' && !session.passwordChangeRequired;
  const signOut = async () => {
    await session.signOut().catch(() => undefined);
    await navigate(PATHS.signIn);
  };
  // The skip link moves focus itself: the router owns the address, a `#main` fragment would
  // not move focus there in every browser.
  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    main.current?.focus();
  };
  return (
    <div className={styles.root}>
      <a className={styles.skip} href="#main" onClick={skipToMain}>
        {t('common:skipToContent')}
      </a>
      <header className={styles.header}>
        <Title3 as="p" className={styles.title}>
          {t('common:appName')}
        </Title3>
        <div className={styles.tools}>
          <LanguageSwitch />
          {session.status === 'signed-in' && (
            <Button appearance="secondary" onClick={() => void signOut()}>
              {t('common:signOut')}
            </Button>
          )}
        </div>
      </header>
      <div className={styles.body}>
        {signedIn && <Navigation routes={routes} />}
        <main id="main" ref={main} className={styles.main} tabIndex={-1}>
          {/* An area's pages come in their own chunk: a spinner while it loads. */}
          <Suspense fallback={<Spinner label={t('common:loading')} />}>
            <Outlet context={{ routes } satisfies ShellContext} />
          </Suspense>
        </main>
      </div>
    </div>
  );
}

/**
 * A page that needs a session: a spinner while the session loads, the sign-in page when signed
 * out (coming back here after), the password change while the password is temporary.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <Spinner label={t('common:loading')} />;
  if (session.status === 'signed-out') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`${PATHS.signIn}?next=${encodeURIComponent(next)}`} replace />;
  }
  if (session.passwordChangeRequired && location.pathname !== PATHS.changePassword) {
    return <Navigate to={PATHS.changePassword} replace />;
  }
  return <>{children}</>;
}

/** Any other address under /portal. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('common:notFound.title')}</h1>
      <p>{t('common:notFound.body')}</p>
      <RouterLink to={PATHS.home}>{t('common:notFound.home')}</RouterLink>
    </>
  );
}
