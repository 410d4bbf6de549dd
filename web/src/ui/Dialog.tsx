import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  children: ReactNode;
  /** Called on Escape too, unless `mustConfirm`. */
  onClose: () => void;
  /** The dialog can be left only by its own buttons (the secret dialog: OK after storing it). */
  mustConfirm?: boolean;
}

/**
 * A modal dialog on the native <dialog>: the browser traps focus inside it and makes the page
 * behind it inert. Focus goes to the first field (or the element marked data-autofocus) and, when the
 * dialog closes, back to the element that opened it.
 */
export function Dialog({ title, children, onClose, mustConfirm = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // a layout effect: its cleanup runs while React removes the dialog, so focus is back on the
  // opener before the browser paints (a passive effect's cleanup may run a moment later)
  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    dialog?.showModal();
    // React does not render `autofocus` into the DOM, so showModal() cannot see it: mark the
    // element to focus with data-autofocus instead
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      dialog?.close();
      // the opener may have been re-rendered away: then the main heading takes focus
      if (opener?.isConnected) opener.focus();
      else document.querySelector<HTMLElement>('main h1')?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!mustConfirm) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
