/*
 * Keyboard shortcuts as data: "Mod+Shift+Z", "Shift+R", "[", "?", "Space".
 * Mod is Cmd on macOS and Ctrl elsewhere. For letters, digits and named keys
 * Shift is part of the shortcut; for symbols it is not, since typing "?" or
 * "+" needs Shift on some layouts and not on others.
 */

export interface KeyCombo {
  readonly mod: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  /** Lower-case letter/digit, a symbol ("[", "?"), or a named key ("space", "escape", "arrowup"). */
  readonly key: string;
}

/** The parts of a KeyboardEvent shortcuts look at. */
export interface KeyLike {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** Spec names of non-character keys -> the lower-cased KeyboardEvent.key. */
const NAMED: Readonly<Record<string, string>> = {
  space: 'space',
  tab: 'tab',
  escape: 'escape',
  esc: 'escape',
  delete: 'delete',
  backspace: 'backspace',
  enter: 'enter',
  up: 'arrowup',
  down: 'arrowdown',
  left: 'arrowleft',
  right: 'arrowright',
};

export function parseCombo(spec: string): KeyCombo {
  // The key is the last segment; "Mod++" means Mod and "+".
  const plusKey = spec === '+' || spec.endsWith('++');
  const parts = plusKey ? [...spec.slice(0, -1).split('+').filter(Boolean), '+'] : spec.split('+');
  const key = parts.pop();
  if (!key) throw new Error(`Empty key in shortcut "${spec}"`);
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  for (const m of mods) if (!['mod', 'alt', 'shift'].includes(m)) throw new Error(`Unknown modifier "${m}" in "${spec}"`);
  const named = NAMED[key.toLowerCase()];
  if (!named && key.length !== 1) throw new Error(`Unknown key "${key}" in "${spec}"`);
  return { mod: mods.has('mod'), alt: mods.has('alt'), shift: mods.has('shift') && !isSymbol(key), key: named ?? key.toLowerCase() };
}

function isSymbol(key: string): boolean {
  return key.length === 1 && !/[a-z0-9]/i.test(key);
}

/** One string per distinct physical shortcut, for duplicate checks and lookup. */
export function canonical(combo: KeyCombo): string {
  return `${combo.mod ? 'mod+' : ''}${combo.alt ? 'alt+' : ''}${combo.shift ? 'shift+' : ''}${combo.key}`;
}

/** The combo a keyboard event stands for (null for lone modifier presses). */
export function comboOf(event: KeyLike, mac: boolean): KeyCombo | null {
  if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return null;
  const mod = mac ? event.metaKey : event.ctrlKey;
  let key: string;
  if (event.code === 'Space' || event.key === ' ') key = 'space';
  else if (event.key.length === 1) {
    // Alt (Option on macOS) changes the character; the physical key still names letters and digits.
    const fromCode = /^Key([A-Z])$/.exec(event.code)?.[1] ?? /^Digit(\d)$/.exec(event.code)?.[1];
    key = (event.altKey && fromCode ? fromCode : event.key).toLowerCase();
  } else key = event.key.toLowerCase();
  return { mod, alt: event.altKey, shift: event.shiftKey && !isSymbol(key), key };
}

/** "Mod+Shift+Z" for display: "⌘⇧Z" on macOS, "Ctrl+Shift+Z" elsewhere. */
export function comboLabel(spec: string, mac: boolean): string {
  const c = parseCombo(spec);
  const keyName: Readonly<Record<string, string>> = {
    space: 'Space',
    tab: 'Tab',
    escape: 'Esc',
    delete: 'Delete',
    backspace: mac ? '⌫' : 'Backspace',
    enter: 'Enter',
    arrowup: '↑',
    arrowdown: '↓',
    arrowleft: '←',
    arrowright: '→',
  };
  const key = keyName[c.key] ?? c.key.toUpperCase();
  if (mac) return `${c.mod ? '⌘' : ''}${c.alt ? '⌥' : ''}${c.shift ? '⇧' : ''}${key}`;
  return [c.mod ? 'Ctrl' : '', c.alt ? 'Alt' : '', c.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}
