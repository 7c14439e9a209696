/*
 * Keyboard focus around modal dialogs: Tab and Shift+Tab cycle inside the
 * open dialog (never out to the page behind or the browser), and closing it
 * puts focus back where it was when it opened.
 */

const TAB_STOPS = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Elements Tab stops at under `root`, in document order: shown, not inert, one per radio group. */
export function tabStops(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TAB_STOPS)].filter((el) => {
    if (el.getClientRects().length === 0 || el.closest('[inert]')) return false;
    // A radio group is one stop: its checked radio (or its first, when none is).
    if (el instanceof HTMLInputElement && el.type === 'radio' && el.name) {
      const group = [...root.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(el.name)}"]`)];
      return el.checked || (!group.some((r) => r.checked) && group[0] === el);
    }
    return true;
  });
}

const openers = new WeakMap<HTMLDialogElement, HTMLElement>();

/** Opens `dialog` as a modal, remembering what had focus. */
export function showModal(dialog: HTMLDialogElement): void {
  const focused = document.activeElement;
  if (focused instanceof HTMLElement && focused !== document.body && !dialog.contains(focused)) openers.set(dialog, focused);
  dialog.showModal();
}

/** For the dialog's close event: focus goes back to what had it before, if it is still there. */
export function returnFocus(dialog: HTMLDialogElement): void {
  const opener = openers.get(dialog);
  openers.delete(dialog);
  if (opener?.isConnected) opener.focus({ preventScroll: true });
}

/** For the dialog's keydown: Tab past the last stop comes back to the first, Shift+Tab the other way. */
export function keepTabInside(event: KeyboardEvent): void {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
  const dialog = event.currentTarget as HTMLElement;
  const stops = tabStops(dialog);
  const first = stops[0];
  const last = stops.at(-1);
  if (!first || !last) return;
  const at = document.activeElement;
  const outside = !(at instanceof Node) || !dialog.contains(at);
  if (event.shiftKey && (at === first || outside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (at === last || outside)) {
    event.preventDefault();
    first.focus();
  }
}
