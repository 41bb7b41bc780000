import { ipcMain, webContents, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../api.std.ts';
import type { Core } from '../core.contract.std.ts';
import { isTrustedFrame } from './guards.std.ts';

/**
 * Connects the core to Electron IPC. `isOwnWindow` says whether a webContents belongs to a window this app
 * created; only the top frame of such a window, showing the app origin, is a trusted caller.
 */
export function connectCore(core: Core, isOwnWindow: (contents: WebContents) => boolean): void {
  const trusted = (event: IpcMainInvokeEvent) =>
    isTrustedFrame(event.senderFrame, isOwnWindow(event.sender) ? event.sender.mainFrame : null);

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, payload: unknown) =>
    core.handle({ senderId: String(event.sender.id), trusted: trusted(event) }, String(channel), payload),
  );

  core.onEvent((senderId, name, payload) => {
    const target = webContents.fromId(Number(senderId));
    if (target && !target.isDestroyed()) target.send(IPC_EVENT, name, payload);
  });
}
