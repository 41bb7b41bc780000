// Bundled by the harness into a page init script. First import: zod must not probe eval (see that file).
import '../../renderer/src/app/zodWithoutEval.ts';
import { createBridge } from '../../main/app/bridge.std.ts';

/** What the harness adds to the page: a binding into the core, and a hook to push events. */
interface HarnessGlobal {
  __pcInvoke(channel: string, input: unknown): Promise<unknown>;
}

type Subscriber = (event: unknown, payload: unknown) => void;

const host = globalThis as unknown as HarnessGlobal;
const subscribers = new Set<Subscriber>();

// The preload's own bridge over a different transport: the binding replaces ipcRenderer.invoke and
// __pcDeliver (called by the harness with page.evaluate) replaces ipcRenderer.on.
const bridge = createBridge({
  invoke: (channel, input) => host.__pcInvoke(channel, input),
  subscribe(listener) {
    subscribers.add(listener);
    return () => {
      subscribers.delete(listener);
    };
  },
});

Object.defineProperty(globalThis, '__pcDeliver', {
  value: (event: string, payload: unknown) => {
    for (const subscriber of subscribers) subscriber(event, payload);
  },
});
Object.defineProperty(globalThis, 'privacyConsole', { value: Object.freeze(bridge), enumerable: true });
