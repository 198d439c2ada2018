import { Link } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useHref, useLinkClickHandler } from 'react-router';

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
  const href = useHref(to);
  const handle = useLinkClickHandler<HTMLAnchorElement>(to);
  return (
    <Link href={href} inline={inline} onClick={handle}>
      {children}
    </Link>
  );
}
