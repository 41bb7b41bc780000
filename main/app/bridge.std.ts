import { CHANNEL_NAMES, type PrivacyConsoleBridge } from '../api.std.ts';
import type { ApiResult } from '../platform/ipc/errors.std.ts';
import { API_EVENT_NAMES } from '../platform/ipc/events.std.ts';

/** What the preload gives the bridge: ipcRenderer, narrowed to the two transport calls. */
export interface BridgeTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  /** Receives every pushed event; returns an unsubscribe. */
  subscribe(listener: (event: unknown, payload: unknown) => void): () => void;
}

const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(API_EVENT_NAMES);

function failure(code: 'UNKNOWN_CHANNEL' | 'INTERNAL', message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

/**
 * The object exposed to the page. Arguments are typed unknown because the page is not trusted to respect
 * the TypeScript signature. Unknown channels are refused here, before any IPC; main checks everything again.
 * Nothing Electron-specific (ipcRenderer, IPC events) is reachable through it.
 */
export function createBridge(transport: BridgeTransport): PrivacyConsoleBridge {
  async function invoke(channel: unknown, input: unknown): Promise<ApiResult<unknown>> {
    if (typeof channel !== 'string' || !channels.has(channel)) return failure('UNKNOWN_CHANNEL', 'Unknown channel');
    try {
      return (await transport.invoke(channel, input)) as ApiResult<unknown>;
    } catch {
      return failure('INTERNAL', 'The request could not be completed.');
    }
  }

  function on(event: unknown, listener: unknown): () => void {
    if (typeof event !== 'string' || !events.has(event)) throw new TypeError('Unknown event');
    if (typeof listener !== 'function') throw new TypeError('Listener must be a function');
    return transport.subscribe((name, payload) => {
      if (name === event) listener(payload);
    });
  }

  return { invoke, on } as PrivacyConsoleBridge;
}
