import { Button, Link, type ButtonProps } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useHref, useLinkClickHandler } from 'react-router';

/** The `href` of a portal page (`to` relative to `/portal`) and its in-app click handler. */
function useRouterHref(to: string) {
  return { href: useHref(to), onClick: useLinkClickHandler<HTMLAnchorElement>(to) };
}

/**
 * A Fluent `Link` to a portal page (`to` relative to `/portal`, e.g. `/customers`): a real
 * `<a href>` (open in a new tab works) whose plain click navigates inside the app.
 */
export function RouterLink({
  to,
  children,
  inline,
}: {
  to: string;
  children: ReactNode;
  inline?: boolean;
}) {
  const { href, onClick } = useRouterHref(to);
  return (
    <Link href={href} inline={inline} onClick={onClick}>
      {children}
    </Link>
  );
}

/**
 * A Fluent button that is a link to a portal page (`to` relative to `/portal`): a real
 * `<a href>` for actions such as "Add new customer", navigating inside the app on a plain click.
 */
export function RouterButton({
  to,
  children,
  appearance,
}: {
  to: string;
  children: ReactNode;
  appearance?: ButtonProps['appearance'];
}) {
  const { href, onClick } = useRouterHref(to);
  return (
    <Button as="a" href={href} appearance={appearance} onClick={onClick}>
      {children}
    </Button>
  );
}
