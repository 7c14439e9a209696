import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS, type MenuCommand } from '@shared/ipc/menu';
import { buildMenuTemplate } from './menu-template';

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
    const commandItems = items.filter((i) => typeof i.click === 'function');
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
    expect(items.find((i) => i.id === 'file.open-image')?.accelerator).toBe('CmdOrCtrl+O');
  });

  it('hides developer tools in release builds only', () => {
    expect(items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    const dev = flatten(buildMenuTemplate({ platform, appName: 'Patina', developer: true, send: () => {} }));
    expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
