import type { CommandGroup } from '@shared/commands';
import { canonical, comboLabel, comboOf, parseCombo, type KeyLike } from './keys';

export type { CommandGroup };

/**
 * One thing a person can do, with its keys as data. Toolbar buttons, the
 * application menu, the keyboard and the shortcuts overlay all go through
 * `run(id)`, so they cannot drift apart.
 */
export interface Command<C> {
  readonly id: string;
  readonly label: string;
  readonly group: CommandGroup;
  /** Shortcut specs (see keys.ts); the first is the one shown. */
  readonly keys: readonly string[];
  /**
   * 'press' runs once per key press; 'hold' runs on key down and `release`
   * on key up (hold Tab to compare, hold Space to pan); 'repeat' also runs
   * on auto-repeat (brush size).
   */
  readonly kind?: 'press' | 'hold' | 'repeat';
  /** Whether it can run now (disabled buttons, ignored keys). Default: always. */
  readonly when?: (ctx: C) => boolean;
  readonly run: (ctx: C) => void;
  readonly release?: (ctx: C) => void;
}

/** Every key claimed by more than one command, as "key: id, id". */
export function duplicateKeys<C>(commands: readonly Command<C>[]): string[] {
  const owners = new Map<string, string[]>();
  for (const command of commands) {
    for (const spec of command.keys) {
      const key = canonical(parseCombo(spec));
      owners.set(key, [...(owners.get(key) ?? []), command.id]);
    }
  }
  return [...owners].filter(([, ids]) => new Set(ids).size > 1).map(([key, ids]) => `${key}: ${[...new Set(ids)].join(', ')}`);
}

export class CommandRegistry<C> {
  private readonly byId = new Map<string, Command<C>>();
  private readonly byKey = new Map<string, Command<C>>();

  /** Refuses ambiguous shortcuts and duplicate ids: a key must mean one thing. */
  constructor(
    readonly commands: readonly Command<C>[],
    private readonly mac: boolean,
  ) {
    const duplicates = duplicateKeys(commands);
    if (duplicates.length > 0) throw new Error(`Shortcut used by more than one command: ${duplicates.join('; ')}`);
    for (const command of commands) {
      if (this.byId.has(command.id)) throw new Error(`Two commands with id ${command.id}`);
      this.byId.set(command.id, command);
      for (const spec of command.keys) this.byKey.set(canonical(parseCombo(spec)), command);
    }
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Command<C> {
    const command = this.byId.get(id);
    if (!command) throw new Error(`Unknown command ${id}`);
    return command;
  }

  enabled(id: string, ctx: C): boolean {
    const command = this.get(id);
    return command.when ? command.when(ctx) : true;
  }

  /** Runs a command when it is enabled; returns whether it ran. */
  run(id: string, ctx: C): boolean {
    const command = this.get(id);
    if (command.when && !command.when(ctx)) return false;
    command.run(ctx);
    return true;
  }

  /** The shortcut a button or tooltip shows for a command: its first key ("Ctrl+Shift+E", "⌘⇧E" on macOS), '' when it has none. */
  keyLabel(id: string): string {
    const first = this.get(id).keys[0];
    return first ? comboLabel(first, this.mac) : '';
  }

  /** The command a key event means, if any (enabled or not). */
  match(event: KeyLike): Command<C> | undefined {
    const combo = comboOf(event, this.mac);
    return combo ? this.byKey.get(canonical(combo)) : undefined;
  }

  /** For the shortcuts overlay: commands with keys, by group, in registration order. */
  grouped(): { group: CommandGroup; commands: Command<C>[] }[] {
    const groups = new Map<CommandGroup, Command<C>[]>();
    for (const command of this.commands) {
      if (command.keys.length === 0) continue;
      groups.set(command.group, [...(groups.get(command.group) ?? []), command]);
    }
    return [...groups].map(([group, commands]) => ({ group, commands }));
  }
}
