import { MENU_COMMAND_IDS, type MenuCommandId } from '../commands';

/**
 * Ids the application menu sends to the renderer (event `menu:command`): the
 * id of the command record an item runs (src/shared/commands.ts), which the
 * renderer runs as its toolbar and shortcuts do, and About, the one item that
 * runs no command. Roles Electron implements itself (copy, paste, quit, full
 * screen) are not listed: they never reach the renderer.
 */
export type MenuCommand = MenuCommandId | 'help.about';

export const MENU_COMMANDS: readonly MenuCommand[] = [...MENU_COMMAND_IDS, 'help.about'];

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
