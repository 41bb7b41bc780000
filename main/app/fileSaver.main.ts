import { BrowserWindow, dialog, webContents } from 'electron';
import type { FileSaver } from '../platform/files/fileSaver.node.ts';

/** The save dialog, attached to the window that asked (modal to it), starting in the user's Documents folder. */
export const electronFileSaver: FileSaver = {
  async choosePath(target) {
    const contents = webContents.fromId(Number(target.senderId));
    const window = contents ? BrowserWindow.fromWebContents(contents) : null;
    const options = { defaultPath: target.suggestedName, filters: [{ name: target.filter.name, extensions: [...target.filter.extensions] }] };
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
};
