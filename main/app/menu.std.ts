import type { MenuItemConstructorOptions } from 'electron';

/**
 * Roles only: no item loads a URL or opens a browser. Electron's default menu is replaced because its Help
 * menu links to remote sites. Reload and DevTools exist only in unpackaged builds.
 */
export function appMenuTemplate({ isMac, isPackaged }: { isMac: boolean; isPackaged: boolean }): MenuItemConstructorOptions[] {
  const developer: MenuItemConstructorOptions[] = isPackaged
    ? []
    : [{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }];
  return [
    isMac ? { role: 'appMenu' } : { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, ...developer],
    },
    { role: 'windowMenu' },
  ];
}
