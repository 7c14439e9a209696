import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { isMenuCommand, MENU_COMMANDS, type MenuCommand } from '@shared/ipc/menu';
import { buildMenuTemplate, MENU_RECENT_LIMIT } from './menu-template';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

describe.each(['darwin', 'win32', 'linux'] as const)('application menu on %s', (platform) => {
  const sent: MenuCommand[] = [];
  const template = buildMenuTemplate({ platform, appName: 'Patina', developer: false, send: (c) => sent.push(c) });
  const items = flatten(template);

  it('has File, Edit, View and Help menus', () => {
    const labels = template.map((m) => (m.label ?? '').replace('&', ''));
    expect(labels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Help']));
  });

  it('sends each command item to the renderer under its own id', () => {
    const commandItems = items.filter((i) => typeof i.click === 'function' && isMenuCommand(i.id));
    for (const item of commandItems) {
      sent.length = 0;
      (item.click as () => void)();
      expect(sent).toEqual([item.id]);
    }
    expect(new Set(commandItems.map((i) => i.id))).toEqual(new Set(MENU_COMMANDS));
  });

  it('never gives two items the same accelerator', () => {
    const accelerators = items.map((i) => i.accelerator).filter((a): a is string => typeof a === 'string');
    expect(accelerators.length).toBeGreaterThanOrEqual(8);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('offers Open with the platform shortcut', () => {
    expect(items.find((i) => i.id === 'file.open')?.accelerator).toBe('CmdOrCtrl+O');
  });

  it('hides developer tools in release builds only', () => {
    expect(items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    const dev = flatten(buildMenuTemplate({ platform, appName: 'Patina', developer: true, send: () => {} }));
    expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});

describe('File ▸ Open Recent', () => {
  const recentOf = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ path: `/photos/scan ${i} & co.png`, name: `scan ${i} & co.png`, exists: i !== 1 }));
  const submenu = (options: Partial<Parameters<typeof buildMenuTemplate>[0]>) => {
    const template = buildMenuTemplate({ platform: 'linux', appName: 'Patina', developer: false, send: () => {}, ...options });
    const item = flatten(template).find((i) => i.label === 'Open &Recent');
    return item!.submenu as MenuItemConstructorOptions[];
  };

  it('lists existing recent files, opens the one clicked, and clears the list', () => {
    const opened: string[] = [];
    let cleared = 0;
    const items = submenu({ recent: recentOf(14), openRecent: (p) => opened.push(p), clearRecent: () => cleared++ });
    const files = items.filter((i) => i.toolTip);
    expect(files).toHaveLength(MENU_RECENT_LIMIT);
    expect(files.map((f) => f.toolTip)).not.toContain('/photos/scan 1 & co.png'); // missing on disk
    expect(files[0]!.label).toBe('&1 scan 0 && co.png');
    (files[1]!.click as () => void)();
    expect(opened).toEqual(['/photos/scan 2 & co.png']);
    const clear = items.find((i) => i.label === '&Clear Recently Opened')!;
    expect(clear.enabled).toBe(true);
    (clear.click as () => void)();
    expect(cleared).toBe(1);
  });

  it('says so when there is nothing to reopen', () => {
    const items = submenu({ recent: [] });
    expect(items[0]).toMatchObject({ label: 'No Recent Files', enabled: false });
    expect(items.find((i) => i.label === '&Clear Recently Opened')!.enabled).toBe(false);
  });
});
