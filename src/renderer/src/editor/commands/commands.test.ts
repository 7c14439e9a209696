import { describe, expect, it } from 'vitest';
import { MENU_COMMAND_IDS } from '@shared/commands';
import { EDITOR_COMMANDS, type EditorActions } from './editor-commands';
import { canonical, comboLabel, comboOf, parseCombo, type KeyLike } from './keys';
import { CommandRegistry, duplicateKeys, type Command } from './registry';

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  code: /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...extra,
});

describe('the editor command registry', () => {
  it('gives no key to two commands', () => {
    expect(duplicateKeys(EDITOR_COMMANDS)).toEqual([]);
    expect(() => new CommandRegistry(EDITOR_COMMANDS, false)).not.toThrow();
  });

  it('a duplicate shortcut fails loudly', () => {
    const dup: Command<unknown>[] = [
      { id: 'a', label: 'A', group: 'Edit', keys: ['Mod+Z'], run: () => {} },
      { id: 'b', label: 'B', group: 'Edit', keys: ['mod+z'], run: () => {} },
    ];
    expect(duplicateKeys(dup)).toEqual(['mod+z: a, b']);
    expect(() => new CommandRegistry(dup, false)).toThrow(/more than one command/);
  });

  it('registers every command the application menu sends', () => {
    const registry = new CommandRegistry(EDITOR_COMMANDS, false);
    for (const id of MENU_COMMAND_IDS) expect(() => registry.get(id)).not.toThrow();
  });

  it('finds commands from key events, with Mod = Ctrl or Cmd by platform', () => {
    const pc = new CommandRegistry(EDITOR_COMMANDS, false);
    const mac = new CommandRegistry(EDITOR_COMMANDS, true);
    expect(pc.match(key('z', { ctrlKey: true }))?.id).toBe('edit.undo');
    expect(pc.match(key('Z', { ctrlKey: true, shiftKey: true }))?.id).toBe('edit.redo');
    expect(pc.match(key('z', { metaKey: true }))).toBeUndefined();
    expect(mac.match(key('z', { metaKey: true }))?.id).toBe('edit.undo');
    expect(pc.match(key('R', { shiftKey: true }))?.id).toBe('restore.run');
    expect(pc.match(key('r'))?.id).toBe('tool.rect');
    // "?" needs Shift on a US layout and not elsewhere: Shift does not matter for symbols.
    expect(pc.match(key('?', { shiftKey: true }))?.id).toBe('help.shortcuts');
    expect(pc.match(key('[', {}))?.id).toBe('tool.size-down');
    expect(pc.match(key(' ', { code: 'Space' }))?.id).toBe('view.pan');
    expect(pc.match(key('Tab'))?.id).toBe('view.compare-hold');
    expect(pc.match(key('Shift', { shiftKey: true }))).toBeUndefined();
    // Option+B types "∫" on a Mac; the physical key still counts.
    expect(mac.match(key('∫', { code: 'KeyB', altKey: true }))).toBeUndefined();
    expect(comboOf(key('∫', { code: 'KeyB', altKey: true }), true)).toEqual({ mod: false, alt: true, shift: false, key: 'b' });
  });

  it('runs a command only when it is enabled', () => {
    const calls: string[] = [];
    const actions = { hasPhoto: true, canUndo: false, restoring: false, undo: () => calls.push('undo') } as unknown as EditorActions;
    const registry = new CommandRegistry(EDITOR_COMMANDS, false);
    expect(registry.run('edit.undo', actions)).toBe(false);
    (actions as { canUndo: boolean }).canUndo = true;
    expect(registry.run('edit.undo', actions)).toBe(true);
    expect(calls).toEqual(['undo']);
  });

  it('leaves the photo alone while the Batch view is shown, except closing it from its tab', () => {
    const batchView = { hasDocument: true, hasPhoto: false, hasLayer: true, canUndo: true, canRedo: true, canRestore: false, restoring: false, detecting: false } as unknown as EditorActions;
    const registry = new CommandRegistry(EDITOR_COMMANDS, false);
    for (const id of ['edit.undo', 'edit.redo', 'layer.clear', 'layer.grow', 'view.next-mark', 'restore.run']) expect(registry.enabled(id, batchView), id).toBe(false);
    expect(registry.enabled('file.close', batchView)).toBe(true);
  });

  it('groups commands with keys for the shortcuts overlay', () => {
    const groups = new CommandRegistry(EDITOR_COMMANDS, false).grouped();
    expect(groups.map((g) => g.group)).toEqual(['File', 'Edit', 'View', 'Tools', 'Layers', 'Restore', 'Help']);
    expect(groups.flatMap((g) => g.commands).some((c) => c.keys.length === 0)).toBe(false);
  });
});

describe('key specs', () => {
  it('parse, canonicalise and label', () => {
    expect(parseCombo('Mod+Shift+Z')).toEqual({ mod: true, alt: false, shift: true, key: 'z' });
    expect(parseCombo('Mod++')).toEqual({ mod: true, alt: false, shift: false, key: '+' });
    expect(canonical(parseCombo('Shift+?'))).toBe('?');
    expect(canonical(parseCombo('Esc'))).toBe('escape');
    expect(() => parseCombo('Hyper+X')).toThrow(/modifier/);
    expect(() => parseCombo('Mod+PageUp')).toThrow(/Unknown key/);
    expect(comboLabel('Mod+Shift+E', false)).toBe('Ctrl+Shift+E');
    expect(comboLabel('Mod+Shift+E', true)).toBe('⌘⇧E');
    expect(comboLabel('Space', false)).toBe('Space');
  });
});
