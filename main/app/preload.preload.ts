import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../api.std.ts';
import { createBridge } from './bridge.std.ts';

const bridge = createBridge({
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input),
  subscribe(listener) {
    // The IPC event object carries ipcRenderer itself, so only the name and payload are passed on.
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
});

contextBridge.exposeInMainWorld('privacyConsole', bridge);
