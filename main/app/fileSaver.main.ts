import { app, BrowserWindow, dialog, webContents } from 'electron';
import { join } from 'node:path';
import { SAVE_FILE_TYPES, type FileSaver } from '../platform/files/fileSaver.node.ts';

/** The system save dialog, over the window that asked, starting in the Documents folder. */
export const dialogFileSaver: FileSaver = {
  async chooseDestination({ senderId, suggestedName, type }) {
    const contents = webContents.fromId(Number(senderId));
    const owner = contents ? BrowserWindow.fromWebContents(contents) : null;
    const { label, extension } = SAVE_FILE_TYPES[type];
    const options = { defaultPath: join(app.getPath('documents'), suggestedName), filters: [{ name: label, extensions: [extension] }] };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
};
