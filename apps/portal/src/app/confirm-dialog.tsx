import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  useId,
} from '@fluentui/react-components';
import { useEffect, useLayoutEffect, useRef, type FormEvent, type ReactNode } from 'react';

/** How long after closing the dialog gives focus back (Fluent unmounts its surface first). */
const RESTORE_WINDOW_MS = 1000;

/**
 * The portal's modal dialog for a decision (a confirmation that says what happens, or a small form
 * such as a rejection reason): the title, the content (described by it), the confirm button
 * (primary) and the cancel button. Escape, the cancel button and `onCancel` close it. Keyboard
 * focus starts inside it, stays inside it while it is open (Tab and Shift+Tab cycle through it)
 * and goes back to the element that had it before (the button that opened the dialog; the page's
 * heading when that element is gone, e.g. the row of a removed item).
 * With `form`, the content is a form whose submit (Enter in a field) is the confirm button.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm(): void;
  onCancel(): void;
  /** While an action runs: the confirm button is disabled. */
  busy?: boolean;
  /** The confirm button is disabled (e.g. a required reason is empty). */
  confirmDisabled?: boolean;
  /** The cancel button is disabled while `busy` too. */
  lockCancelWhileBusy?: boolean;
  /** The cancel button comes first. */
  cancelFirst?: boolean;
  form?: boolean;
}) {
  const contentId = useId('dialog-content');
  useRestoreFocus(props.open);
  const confirm = (
    <Button
      key="confirm"
      appearance="primary"
      type={props.form ? 'submit' : 'button'}
      disabled={props.busy || props.confirmDisabled}
      onClick={props.form ? undefined : props.onConfirm}
    >
      {props.confirmLabel}
    </Button>
  );
  const cancel = (
    <Button
      key="cancel"
      appearance="secondary"
      disabled={props.lockCancelWhileBusy && props.busy}
      onClick={props.onCancel}
    >
      {props.cancelLabel}
    </Button>
  );
  const body = (
    <DialogBody>
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent id={contentId}>{props.children}</DialogContent>
      <DialogActions>{props.cancelFirst ? [cancel, confirm] : [confirm, cancel]}</DialogActions>
    </DialogBody>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onConfirm();
  };
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onCancel()}>
      <DialogSurface aria-describedby={contentId}>
        {props.form ? <form onSubmit={submit}>{body}</form> : body}
      </DialogSurface>
    </Dialog>
  );
}

/**
 * Remembers the focused element when `open` turns true and, once it turns false again, gives it
 * focus back when focus was left nowhere (the dialog's own elements are gone); the page's heading
 * when that element left the page meanwhile.
 */
function useRestoreFocus(open: boolean): void {
  const opener = useRef<HTMLElement | null>(null);
  // A layout effect of this component runs before Fluent's effects move focus into the dialog.
  useLayoutEffect(() => {
    if (open) opener.current = document.activeElement as HTMLElement | null;
  }, [open]);
  useEffect(() => {
    if (open || !opener.current) return;
    const target = opener.current;
    opener.current = null;
    const until = Date.now() + RESTORE_WINDOW_MS;
    let frame = 0;
    const restore = () => {
      const active = document.activeElement;
      const lost = !active || active === document.body;
      const inDialog = Boolean(active?.closest('[role="dialog"], [role="alertdialog"]'));
      if (lost) {
        const heading = document.querySelector<HTMLElement>('main h1');
        if (target.isConnected && !target.matches(':disabled')) target.focus();
        else if (heading) {
          if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
          heading.focus();
        }
        return;
      }
      if (inDialog && Date.now() < until) frame = requestAnimationFrame(restore);
    };
    frame = requestAnimationFrame(restore);
    return () => cancelAnimationFrame(frame);
  }, [open]);
}
