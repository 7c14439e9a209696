/*
 * Every command a person can give, as data: its id, its words, its keys and,
 * for those the application menu offers, the menu item. The renderer's
 * registry (src/renderer/src/editor/commands) adds what each one does and
 * when it can run; the application menu (src/main/app/menu-template.ts) is
 * built from the same records, so a label or a shortcut is changed here once.
 */

export type CommandGroup = 'File' | 'Edit' | 'View' | 'Tools' | 'Layers' | 'Restore' | 'Help';

/** How a command appears in the application menu; the item sends the command's own id (event `menu:command`). */
export interface MenuEntry {
  /** The menu's words, with an access key after '&'. */
  readonly label: string;
  /** The shortcut the menu shows and answers, a key spec like `keys`; default the first of `keys`. */
  readonly key?: string;
  /** The same on macOS, where it differs. */
  readonly macKey?: string;
}

export interface CommandRecord {
  readonly id: string;
  readonly label: string;
  readonly group: CommandGroup;
  /** Shortcut specs ("Mod+Shift+Z", "?", "Space"; Mod is Cmd on macOS, Ctrl elsewhere); the first is the one shown. */
  readonly keys: readonly string[];
  /**
   * 'press' runs once per key press; 'hold' runs on key down and its release
   * on key up (hold Tab to compare, hold Space to pan); 'repeat' also runs
   * on auto-repeat (brush size).
   */
  readonly kind?: 'press' | 'hold' | 'repeat';
  readonly menu?: MenuEntry;
}

export const COMMAND_RECORDS = [
  { id: 'file.open', label: 'Open photo or project…', group: 'File', keys: ['Mod+O'], menu: { label: '&Open Image or Project…' } },
  { id: 'file.save-project', label: 'Save project', group: 'File', keys: ['Mod+S'], menu: { label: '&Save Project' } },
  { id: 'file.export', label: 'Export restored photo…', group: 'File', keys: ['Mod+Shift+E'], menu: { label: '&Export Restored Image…' } },
  { id: 'file.close', label: 'Close photo', group: 'File', keys: ['Mod+W'], menu: { label: '&Close Image' } },
  { id: 'edit.undo', label: 'Undo', group: 'Edit', keys: ['Mod+Z'], kind: 'repeat', menu: { label: '&Undo' } },
  { id: 'edit.redo', label: 'Redo', group: 'Edit', keys: ['Mod+Shift+Z', 'Mod+Y'], kind: 'repeat', menu: { label: '&Redo', key: 'Mod+Y', macKey: 'Mod+Shift+Z' } },
  { id: 'view.zoom-in', label: 'Zoom in', group: 'View', keys: ['+', '=', 'Mod+=', 'Mod++'], kind: 'repeat', menu: { label: 'Zoom &In', key: 'Mod+=' } },
  { id: 'view.zoom-out', label: 'Zoom out', group: 'View', keys: ['-', 'Mod+-'], kind: 'repeat', menu: { label: 'Zoom &Out', key: 'Mod+-' } },
  { id: 'view.zoom-fit', label: 'Fit to window', group: 'View', keys: ['Mod+0', '0'], menu: { label: '&Fit to Window' } },
  { id: 'view.zoom-actual', label: 'Actual size (100 %)', group: 'View', keys: ['Mod+1', '1'], menu: { label: '&Actual Size' } },
  { id: 'view.pan', label: 'Pan (hold and drag)', group: 'View', keys: ['Space'], kind: 'hold' },
  { id: 'view.compare-hold', label: 'Show the original (hold)', group: 'View', keys: ['Tab'], kind: 'hold' },
  { id: 'view.compare-split', label: 'Before/after split view', group: 'View', keys: ['C'] },
  { id: 'view.toggle-overlay', label: 'Show or hide the mask overlay', group: 'View', keys: ['O'] },
  { id: 'view.overlay-outline', label: 'High-contrast outlines for the marks', group: 'View', keys: ['Shift+O'] },
  { id: 'view.next-mark', label: 'Zoom to the next mark', group: 'View', keys: ['N'] },
  { id: 'view.previous-mark', label: 'Zoom to the previous mark', group: 'View', keys: ['Shift+N'] },
  { id: 'view.toggle-panels', label: 'Show or hide panels', group: 'View', keys: ['Mod+\\'], menu: { label: 'Show/Hide &Panels' } },
  { id: 'view.escape', label: 'Cancel, or reset the view', group: 'View', keys: ['Escape'] },
  { id: 'tool.brush', label: 'Brush', group: 'Tools', keys: ['B'] },
  { id: 'tool.eraser', label: 'Eraser', group: 'Tools', keys: ['E'] },
  { id: 'tool.lasso', label: 'Lasso (Alt erases)', group: 'Tools', keys: ['L'] },
  { id: 'tool.rect', label: 'Rectangle (Alt erases)', group: 'Tools', keys: ['R'] },
  { id: 'tool.snap', label: 'Snap the brush to damage (on or off)', group: 'Tools', keys: ['S'] },
  { id: 'tool.size-down', label: 'Smaller brush (or Alt+wheel)', group: 'Tools', keys: ['['], kind: 'repeat' },
  { id: 'tool.size-up', label: 'Larger brush (or Alt+wheel)', group: 'Tools', keys: [']'], kind: 'repeat' },
  { id: 'layer.add', label: 'New mask layer', group: 'Layers', keys: ['Mod+Shift+N'] },
  { id: 'layer.clear', label: 'Clear layer', group: 'Layers', keys: ['Delete', 'Backspace'] },
  { id: 'layer.invert', label: 'Invert layer', group: 'Layers', keys: ['Mod+I'] },
  { id: 'layer.merge-down', label: 'Merge down', group: 'Layers', keys: ['Mod+E'] },
  { id: 'layer.grow', label: 'Grow the marks on the layer', group: 'Layers', keys: [] },
  { id: 'layer.shrink', label: 'Shrink the marks on the layer', group: 'Layers', keys: [] },
  { id: 'layer.delete', label: 'Delete layer', group: 'Layers', keys: ['Mod+Backspace', 'Mod+Delete'] },
  { id: 'layer.detect', label: 'Find damage automatically', group: 'Layers', keys: ['Mod+Shift+D'] },
  { id: 'layer.toggle-visible', label: 'Show or hide layer', group: 'Layers', keys: ['H'] },
  { id: 'layer.select-up', label: 'Select layer above', group: 'Layers', keys: ['Alt+Up'] },
  { id: 'layer.select-down', label: 'Select layer below', group: 'Layers', keys: ['Alt+Down'] },
  { id: 'restore.run', label: 'Restore marked areas', group: 'Restore', keys: ['Shift+R'] },
  { id: 'restore.everything', label: 'Restore everything again', group: 'Restore', keys: ['Alt+Shift+R'] },
  { id: 'restore.cancel', label: 'Cancel restoring', group: 'Restore', keys: [] },
  { id: 'help.shortcuts', label: 'Keyboard shortcuts', group: 'Help', keys: ['?', 'Mod+/'], menu: { label: '&Keyboard Shortcuts', key: 'Mod+/' } },
] as const satisfies readonly CommandRecord[];

export type CommandId = (typeof COMMAND_RECORDS)[number]['id'];

type MenuRecord = Extract<(typeof COMMAND_RECORDS)[number], { readonly menu: MenuEntry }>;
/** A command the application menu offers; its item sends this id. */
export type MenuCommandId = MenuRecord['id'];
export const MENU_COMMAND_IDS: readonly MenuCommandId[] = COMMAND_RECORDS.filter((r): r is MenuRecord => 'menu' in r).map((r) => r.id);

export function commandRecord(id: CommandId): CommandRecord {
  return (COMMAND_RECORDS as readonly CommandRecord[]).find((c) => c.id === id)!;
}
