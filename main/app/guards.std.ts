import type { WindowOpenHandlerResponse } from 'electron';
import { isAppUrl } from './appUrl.std.ts';

/** The parts of Electron's navigation event the guard needs (will-navigate and will-redirect both fit). */
export interface NavigationEvent {
  readonly url: string;
  preventDefault(): void;
}

/** Leaving the app origin would hand the preload bridge to foreign content, so it is cancelled. */
export function guardNavigation(event: NavigationEvent): void {
  if (!isAppUrl(event.url)) event.preventDefault();
}

/** No popups: a new window would be an unguarded renderer. */
export function denyWindowOpen(): WindowOpenHandlerResponse {
  return { action: 'deny' };
}

/** Camera, notifications, clipboard read, geolocation…: the console needs none of them. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function denyPermissionCheck(): boolean {
  return false;
}

/** What identifies a frame; Electron's WebFrameMain has these. */
export interface FrameIdentity {
  readonly url: string;
  readonly processId: number;
  readonly frameToken: string;
}

/**
 * An IPC call is trusted only from the top frame of our own window while it shows the app origin.
 * `windowMainFrame` is null when the sender is not one of our windows.
 */
export function isTrustedFrame(senderFrame: FrameIdentity | null, windowMainFrame: FrameIdentity | null): boolean {
  return (
    senderFrame !== null &&
    windowMainFrame !== null &&
    senderFrame.processId === windowMainFrame.processId &&
    senderFrame.frameToken === windowMainFrame.frameToken &&
    isAppUrl(senderFrame.url)
  );
}
