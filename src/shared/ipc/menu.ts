/**
 * Commands the application menu sends to the renderer (event `menu:command`).
 * Ids are `<menu>.<action>`; the renderer maps each to the same code path its
 * toolbar and shortcuts use. Roles Electron implements itself (copy, paste,
 * quit, full screen) are not listed: they never reach the renderer.
 */
export const MENU_COMMANDS = [
  'file.open-image',
  'file.save-project',
  'file.export',
  'file.close',
  'edit.undo',
  'edit.redo',
  'view.zoom-in',
  'view.zoom-out',
  'view.zoom-fit',
  'view.zoom-actual',
  'view.toggle-panels',
  'help.shortcuts',
  'help.about',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface MenuCommandEvent {
  readonly command: MenuCommand;
}

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

/** File ▸ Open Recent ▸ <file> (event `menu:open-recent`): a file from the recent list with its read handle, opened like any other. */
export interface MenuOpenRecentEvent {
  readonly path: string;
  readonly grant: string;
}
