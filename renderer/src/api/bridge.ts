import type { PrivacyConsoleBridge } from '../../../main/api.std';
import { ApiCallError } from './ApiCallError';

declare global {
  interface Window {
    /** Exposed by the preload (or the test harness); absent when the page is opened outside the app. */
    readonly privacyConsole?: PrivacyConsoleBridge;
  }
}

export function bridge(): PrivacyConsoleBridge {
  if (!window.privacyConsole) {
    throw new ApiCallError({ code: 'INTERNAL', message: 'This page only works inside the iTechno Privacy Console app.' });
  }
  return window.privacyConsole;
}
