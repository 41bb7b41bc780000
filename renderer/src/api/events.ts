import type { ApiEventName, ApiEvents } from '../../../main/platform/ipc/events.std';

/** Listens to an event pushed by main; a no-op outside the app, where the session screen already explains why. */
export function onApiEvent<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
  return window.privacyConsole?.on(event, listener) ?? (() => undefined);
}
