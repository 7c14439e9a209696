import type { EditorActions } from '../commands/editor-commands';
import type { Command, CommandRegistry } from '../commands/registry';

/** Keys the focused control itself needs: typing fields take everything. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'color'].includes(target.type);
}

/** Tab and Space belong to a focused button or field (focus moves, buttons press); elsewhere they are ours. */
function ownsTabAndSpace(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], input, select, textarea, [role="slider"], dialog') !== null;
}

/**
 * Window key events -> commands. Press commands run once per press, repeat
 * commands on auto-repeat too, hold commands run on key down and release on
 * key up (or when the window loses focus, so nothing stays stuck).
 */
export class KeyboardRouter {
  private readonly held = new Map<string, Command<EditorActions>>();

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
    const special = event.key === 'Tab' || event.key === ' ';
    if (special && ownsTabAndSpace(event.target)) return;
    const ctx = this.actions();
    if (command.kind === 'hold') {
      event.preventDefault();
      if (event.repeat || this.held.has(event.code)) return;
      if (command.when && !command.when(ctx)) return;
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
    const command = this.held.get(event.code);
    if (!command) return;
    this.held.delete(event.code);
    event.preventDefault();
    command.release?.(this.actions());
  }

  /** The window lost focus: keys released elsewhere never reach us. */
  releaseAll(): void {
    const ctx = this.actions();
    for (const command of this.held.values()) command.release?.(ctx);
    this.held.clear();
  }
}
