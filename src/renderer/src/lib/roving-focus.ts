/**
 * Arrow-key navigation for a toolbar (WAI-ARIA toolbar pattern): the toolbar
 * is one Tab stop (the item last focused, else the first), and the arrow keys
 * along its orientation, Home and End move focus between its enabled items.
 * A slider or select inside keeps its own arrow keys.
 *
 * A Svelte action: `use:rovingFocus={'horizontal'}`.
 */
export type Orientation = 'horizontal' | 'vertical';

const ITEMS = 'button, input, select, [role="button"]';

function items(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(ITEMS)].filter(
    (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0 && el.getAttribute('aria-hidden') !== 'true',
  );
}

/** Index of the item to move to from `current` on `key`, or null when the key is not a move. */
export function moveIndex(key: string, current: number, count: number, orientation: Orientation): number | null {
  if (count === 0) return null;
  const [back, forward] = orientation === 'vertical' ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
  if (key === forward) return (current + 1) % count;
  if (key === back) return (current - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

export function rovingFocus(root: HTMLElement, orientation: Orientation = 'horizontal') {
  let current: HTMLElement | null = null;

  const normalise = () => {
    const list = items(root);
    if (!current || !list.includes(current)) current = list[0] ?? null;
    for (const el of root.querySelectorAll<HTMLElement>(ITEMS)) el.tabIndex = el === current ? 0 : -1;
  };

  const onFocusIn = (e: FocusEvent) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>(ITEMS);
    if (target && root.contains(target)) {
      current = target;
      normalise();
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target.matches('input, select') || e.altKey || e.ctrlKey || e.metaKey) return;
    const list = items(root);
    const next = moveIndex(e.key, list.indexOf(target), list.length, orientation);
    if (next === null) return;
    e.preventDefault();
    current = list[next]!;
    normalise();
    current.focus();
  };

  normalise();
  // Buttons come and go (enabled, added) as the session changes; keep one Tab stop.
  const observer = new MutationObserver(normalise);
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
  root.addEventListener('focusin', onFocusIn);
  root.addEventListener('keydown', onKeyDown);
  return {
    update(next: Orientation) {
      orientation = next;
    },
    destroy() {
      observer.disconnect();
      root.removeEventListener('focusin', onFocusIn);
      root.removeEventListener('keydown', onKeyDown);
    },
  };
}
