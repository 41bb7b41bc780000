import type { ChannelInput, ChannelName, ChannelOutput } from '../../../main/api.std';
import type { ApiError } from '../../../main/platform/ipc/errors.std';
import { ApiCallError } from './ApiCallError';
import { bridge } from './bridge';

export type SessionInterruption = 'NOT_AUTHENTICATED' | 'SESSION_LOCKED' | 'PASSWORD_CHANGE_REQUIRED';

/** Installed by the session feature: the UI that a refusal from main needs. */
export interface SessionHandlers {
  /** Asks for the password again; resolves true once 'session.reauthenticate' succeeded. */
  confirmPassword(): Promise<boolean>;
  /** The session ended or locked behind our back: the UI must leave the current screen. */
  sessionInterrupted(reason: SessionInterruption): void;
}

let handlers: SessionHandlers | null = null;
let lastCall = Date.now();

/** When the window last reached main: main's idle lock counts from its last call (the idle warning needs it). */
export function lastCallAt(): number {
  return lastCall;
}

export function installSessionHandlers(next: SessionHandlers): () => void {
  handlers = next;
  return () => {
    if (handlers === next) handlers = null;
  };
}

type CallListener = (channel: ChannelName) => void;
const callListeners = new Set<CallListener>();

/** Told after each call the person made succeeded (Home refreshes its counts after one's own actions). */
export function onCallSucceeded(listener: CallListener): () => void {
  callListeners.add(listener);
  return () => void callListeners.delete(listener);
}

/**
 * A background refresh on a channel main declares `passive`: it neither counts as the person's activity here (the
 * idle warning) nor in main (the idle lock), and tells no call listener.
 */
export async function callPassive<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await bridge().invoke(channel, input);
  if (result.ok) return result.value;
  throw refusal(result.error);
}

/** Calls main and returns the value, or throws ApiCallError. A call needing re-authentication is retried once. */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await bridge().invoke(channel, input);
  lastCall = Date.now();
  if (result.ok) {
    for (const listener of callListeners) listener(channel);
    return result.value;
  }
  if (result.error.code === 'REAUTH_REQUIRED' && handlers && (await handlers.confirmPassword())) {
    const retried = await bridge().invoke(channel, input);
    if (retried.ok) {
      for (const listener of callListeners) listener(channel);
      return retried.value;
    }
    throw refusal(retried.error);
  }
  throw refusal(result.error);
}

function refusal(error: ApiError): ApiCallError {
  if (error.code === 'NOT_AUTHENTICATED' || error.code === 'SESSION_LOCKED' || error.code === 'PASSWORD_CHANGE_REQUIRED') {
    handlers?.sessionInterrupted(error.code);
  }
  return new ApiCallError(error);
}
