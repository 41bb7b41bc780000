import { join } from 'node:path';
import { app, BrowserWindow, dialog, webContents } from 'electron';
import type { FileSaver } from '../platform/files/fileSaver.node.ts';

/**
 * The native save dialog, modal to the window that asked (senderId is its webContents id). Suggests a name in the
 * user's Documents folder; the user may pick any folder.
 */
export const electronFileSaver: FileSaver = {
  async choosePath({ senderId, suggestedName, filter }) {
    const contents = webContents.fromId(Number(senderId));
    const owner = contents ? BrowserWindow.fromWebContents(contents) : null;
    const options = {
      defaultPath: join(app.getPath('documents'), suggestedName),
      filters: [{ name: filter.name, extensions: [...filter.extensions] }],
      properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
    };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
  async chooseFolder({ senderId, title }) {
    const contents = webContents.fromId(Number(senderId));
    const owner = contents ? BrowserWindow.fromWebContents(contents) : null;
    const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
};
