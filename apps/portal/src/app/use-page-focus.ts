import { useEffect, useRef, type RefObject } from 'react';

/** How long after a page change its heading may still appear and take focus (a slow load). */
const PAGE_CHANGE_WINDOW_MS = 10_000;

/** Focuses `heading` (made focusable by script only: `tabindex="-1"`), scrolling it into view. */
function focusHeading(heading: HTMLElement): void {
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/**
 * Keyboard focus across page changes (issue 12, "keyboard-only use works"), in the main landmark
 * `main`:
 * - after the route's path changes once the person has used the page (not on the first page of a
 *   visit nor its redirects, e.g. to sign-in: there the skip link is the first stop), the new
 *   page's level-1 heading takes focus as soon as it is shown (a page whose
 *   code or data is still loading shows it later); a keyboard user goes on from the page's top
 *   and a screen reader reads the page's name;
 * - when the focused element inside `main` leaves the page (a form replaced by its result, a
 *   button that its own action removes), focus goes to the page's heading instead of the
 *   document's top.
 */
export function usePageFocus(main: RefObject<HTMLElement | null>, pathname: string): void {
  const pendingUntil = useRef(0);
  const used = useRef(false);

  useEffect(() => {
    const root = main.current;
    if (!root) return;
    let lastFocusedInMain: Element | null = null;
    const onFocusIn = (event: FocusEvent) => {
      const target = event.target as Element | null;
      lastFocusedInMain = target && root.contains(target) ? target : null;
      if (target && !(target instanceof HTMLHeadingElement)) pendingUntil.current = 0;
    };
    const observer = new MutationObserver(() => {
      const heading = root.querySelector('h1');
      if (!heading) return;
      const active = document.activeElement;
      if (pendingUntil.current > Date.now()) {
        if (active !== heading) focusHeading(heading);
        pendingUntil.current = 0;
        return;
      }
      const lost = !active || active === document.body;
      if (lost && lastFocusedInMain && !lastFocusedInMain.isConnected) focusHeading(heading);
    });
    const onUse = () => {
      used.current = true;
    };
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('keydown', onUse, true);
    document.addEventListener('pointerdown', onUse, true);
    observer.observe(root, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('keydown', onUse, true);
      document.removeEventListener('pointerdown', onUse, true);
    };
  }, [main]);

  useEffect(() => {
    if (!used.current) return;
    const heading = main.current?.querySelector('h1');
    if (heading) {
      focusHeading(heading);
    } else {
      pendingUntil.current = Date.now() + PAGE_CHANGE_WINDOW_MS;
    }
  }, [main, pathname]);
}
