import type { MenuItemConstructorOptions } from 'electron';
import { commandRecord, type MenuCommandId } from '@shared/commands';
import type { MenuCommand } from '@shared/ipc/menu';

/*
 * The application menu as data, built without touching Electron at runtime
 * (type import only) so a unit test can check it: every command reaches the
 * renderer through `send`, and no two items share an accelerator. Each item's
 * words and shortcut come from the command it runs (src/shared/commands.ts),
 * the records the renderer's buttons, keys and shortcuts overlay read too.
 */

export interface MenuTemplateOptions {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  /** Development builds get Reload and DevTools. */
  readonly developer: boolean;
  readonly send: (command: MenuCommand) => void;
  /** File ▸ Open Recent, newest first; files that no longer exist are left out. */
  readonly recent?: readonly { readonly path: string; readonly name: string; readonly exists: boolean }[];
  readonly openRecent?: (path: string) => void;
  readonly clearRecent?: () => void;
}

/** How many recent files the menu lists (the start screen shows the whole list). */
export const MENU_RECENT_LIMIT = 10;

export function buildMenuTemplate(options: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const { platform, send } = options;
  const isMac = platform === 'darwin';
  const item = (label: string, id: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    id,
    accelerator,
    click: () => send(id),
  });
  /** The menu item of a command record: its menu words, and its shortcut as an Electron accelerator. */
  const command = (id: MenuCommandId): MenuItemConstructorOptions => {
    const record = commandRecord(id);
    if (!record.menu) throw new Error(`The command ${id} has no menu item`);
    const key = (isMac ? record.menu.macKey : undefined) ?? record.menu.key ?? record.keys[0];
    return item(record.menu.label, id, key === undefined ? undefined : acceleratorOf(key));
  };

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: options.appName,
          submenu: [
            item(`About ${options.appName}`, 'help.about'),
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      command('file.open'),
      openRecentMenu(options),
      command('file.save-project'),
      command('file.export'),
      { type: 'separator' },
      command('file.close'),
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: 'E&xit' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      command('edit.undo'),
      command('edit.redo'),
      { type: 'separator' },
      // Text-field clipboard: Electron implements these roles natively.
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      command('view.zoom-in'),
      command('view.zoom-out'),
      command('view.zoom-fit'),
      command('view.zoom-actual'),
      { type: 'separator' },
      command('view.toggle-panels'),
      { role: 'togglefullscreen' },
      ...(options.developer
        ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const]
        : []),
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      command('help.shortcuts'),
      ...(isMac ? [] : [{ type: 'separator' } as const, item(`&About ${options.appName}`, 'help.about')]),
    ],
  };

  return [...appMenu, file, edit, view, help];
}

/** A key spec ("Mod+Shift+E") as an Electron accelerator ("CmdOrCtrl+Shift+E"). */
export function acceleratorOf(spec: string): string {
  return spec.replace(/^Mod\+/, 'CmdOrCtrl+').replace(/\+Mod\+/, '+CmdOrCtrl+');
}

function openRecentMenu(options: MenuTemplateOptions): MenuItemConstructorOptions {
  const files = (options.recent ?? []).filter((f) => f.exists).slice(0, MENU_RECENT_LIMIT);
  const items: MenuItemConstructorOptions[] = files.map((f, i) => ({
    // An access key per line (1-9, then 0) on Windows and Linux; '&' in a name would be taken as one.
    label: `${i < 10 ? `&${(i + 1) % 10} ` : ''}${f.name.replaceAll('&', '&&')}`,
    toolTip: f.path,
    click: () => options.openRecent?.(f.path),
  }));
  return {
    label: 'Open &Recent',
    submenu: [
      ...(items.length > 0 ? items : [{ label: 'No Recent Files', enabled: false }]),
      { type: 'separator' },
      { label: '&Clear Recently Opened', enabled: files.length > 0, click: () => options.clearRecent?.() },
    ],
  };
}
