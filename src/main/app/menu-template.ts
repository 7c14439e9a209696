import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '@shared/ipc/menu';

/*
 * The application menu as data, built without touching Electron at runtime
 * (type import only) so a unit test can check it: every command reaches the
 * renderer through `send`, and no two items share an accelerator.
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
  const command = (label: string, id: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    id,
    accelerator,
    click: () => send(id),
  });

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: options.appName,
          submenu: [
            command(`About ${options.appName}`, 'help.about'),
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
      command('&Open Image or Project…', 'file.open-image', 'CmdOrCtrl+O'),
      openRecentMenu(options),
      command('&Save Project', 'file.save-project', 'CmdOrCtrl+S'),
      command('&Export Restored Image…', 'file.export', 'CmdOrCtrl+Shift+E'),
      { type: 'separator' },
      command('&Close Image', 'file.close', 'CmdOrCtrl+W'),
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: 'E&xit' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      command('&Undo', 'edit.undo', 'CmdOrCtrl+Z'),
      command('&Redo', 'edit.redo', isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
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
      command('Zoom &In', 'view.zoom-in', 'CmdOrCtrl+='),
      command('Zoom &Out', 'view.zoom-out', 'CmdOrCtrl+-'),
      command('&Fit to Window', 'view.zoom-fit', 'CmdOrCtrl+0'),
      command('&Actual Size', 'view.zoom-actual', 'CmdOrCtrl+1'),
      { type: 'separator' },
      command('Show/Hide &Panels', 'view.toggle-panels', 'CmdOrCtrl+\\'),
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
      command('&Keyboard Shortcuts', 'help.shortcuts', 'CmdOrCtrl+/'),
      ...(isMac ? [] : [{ type: 'separator' } as const, command(`&About ${options.appName}`, 'help.about')]),
    ],
  };

  return [...appMenu, file, edit, view, help];
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
