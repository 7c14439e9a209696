import type { EditorActions } from '../commands/editor-commands';
import { tabStops } from '../../lib/dialog-focus';
import type { Command, CommandRegistry } from '../commands/registry';

/** Keys the focused control itself needs: typing fields take everything. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'color'].includes(target.type);
}

/** The focused element, as far as deciding who gets Tab and Space goes. */
export interface FocusedControl {
  /** Lower-case tag name of the nearest interactive ancestor-or-self ("input", "button", "dialog"). */
  readonly tag: string;
  /** `type` of an input. */
  readonly type?: string;
  readonly role?: string | null;
}

/**
 * Tab belongs to any focused control (focus moves on). Space presses a
 * focused button, ticks a box, opens a select; a slider does nothing with it,
 * so there Space stays ours: a person who just set the brush size and holds
 * Space to pan to the next crack must not paint instead.
 */
export function controlOwnsKey(key: 'Tab' | ' ', control: FocusedControl | null): boolean {
  if (!control) return false;
  if (key === 'Tab') return true;
  const slider = control.role === 'slider' || (control.tag === 'input' && control.type === 'range');
  return !slider;
}

function focusedControl(target: EventTarget | null): FocusedControl | null {
  if (!(target instanceof HTMLElement)) return null;
  const el = target.closest('button, a[href], input, select, textarea, [role="slider"], [role="option"], dialog');
  if (!el) return null;
  return { tag: el.tagName.toLowerCase(), type: el instanceof HTMLInputElement ? el.type : undefined, role: el.getAttribute('role') };
}

/**
 * How long Tab must be held on the photo before it shows the original. A
 * shorter tap moves focus on, as Tab does everywhere else: the canvas must not
 * trap the keyboard (WCAG 2.1.2).
 */
export const TAB_HOLD_MS = 250;

/** The element Tab would reach next from `from`, in document order; null past the last. */
export function nextTabStop(from: Element): HTMLElement | null {
  const stops = tabStops(document);
  // Nothing focused (the body): Tab starts at the top, as the browser's would.
  if (from === document.body || from === document.documentElement) return stops[0] ?? null;
  return stops.find((el) => (from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0 && !from.contains(el)) ?? null;
}

/**
 * Window key events -> commands. Press commands run once per press, repeat
 * commands on auto-repeat too, hold commands run on key down and release on
 * key up (or when the window loses focus, so nothing stays stuck).
 */
export class KeyboardRouter {
  private readonly held = new Map<string, Command<EditorActions>>();
  /** A Tab press on the photo not yet long enough to be a hold (see TAB_HOLD_MS). */
  private tabPending: { timer: ReturnType<typeof setTimeout>; from: EventTarget | null } | null = null;

  constructor(
    private readonly registry: CommandRegistry<EditorActions>,
    private readonly actions: () => EditorActions,
  ) {}

  keydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || isTyping(event.target)) return;
    // An open modal dialog owns the keyboard (its Escape closes it natively).
    if (document.querySelector('dialog[open]')) return;
    const command = this.registry.match(event);
    if (!command) return;
    const key = event.key;
    if ((key === 'Tab' || key === ' ') && controlOwnsKey(key, focusedControl(event.target))) return;
    const ctx = this.actions();
    if (command.kind === 'hold') {
      // Not applicable (no photo): the key keeps its usual meaning; Tab still moves focus.
      if (command.when && !command.when(ctx)) return;
      event.preventDefault();
      if (event.repeat || this.held.has(event.code) || this.tabPending) return;
      if (key === 'Tab') {
        const timer = setTimeout(() => {
          this.tabPending = null;
          this.held.set(event.code, command);
          command.run(this.actions());
        }, TAB_HOLD_MS);
        this.tabPending = { timer, from: event.target };
        return;
      }
      this.held.set(event.code, command);
      command.run(ctx);
      return;
    }
    if (command.when && !command.when(ctx)) return;
    event.preventDefault();
    if (event.repeat && command.kind !== 'repeat') return;
    command.run(ctx);
  }

  keyup(event: KeyboardEvent): void {
    if (event.key === 'Tab' && this.tabPending) {
      // A tap: focus moves on from where it was, as the browser would have.
      clearTimeout(this.tabPending.timer);
      const from = this.tabPending.from instanceof Element ? this.tabPending.from : document.body;
      this.tabPending = null;
      event.preventDefault();
      nextTabStop(from)?.focus();
      return;
    }
    const command = this.held.get(event.code);
    if (!command) return;
    this.held.delete(event.code);
    event.preventDefault();
    command.release?.(this.actions());
  }

  /** The window lost focus: keys released elsewhere never reach us. */
  releaseAll(): void {
    if (this.tabPending) clearTimeout(this.tabPending.timer);
    this.tabPending = null;
    const ctx = this.actions();
    for (const command of this.held.values()) command.release?.(ctx);
    this.held.clear();
  }
}
