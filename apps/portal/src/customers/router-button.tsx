import { Button, type ButtonProps } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useHref, useLinkClickHandler } from 'react-router';

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
  const href = useHref(to);
  const handle = useLinkClickHandler<HTMLAnchorElement>(to);
  return (
    <Button as="a" href={href} appearance={appearance} onClick={handle}>
      {children}
    </Button>
  );
}
