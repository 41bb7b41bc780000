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

/** Calls main and returns the value, or throws ApiCallError. A call needing re-authentication is retried once. */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await bridge().invoke(channel, input);
  lastCall = Date.now();
  if (result.ok) return result.value;
  if (result.error.code === 'REAUTH_REQUIRED' && handlers && (await handlers.confirmPassword())) {
    const retried = await bridge().invoke(channel, input);
    if (retried.ok) return retried.value;
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
