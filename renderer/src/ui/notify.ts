import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api/ApiCallError';

/**
 * Notifications name people and accounts, so they show only in an unlocked session. The session feature switches
 * this off on lock and sign-out: a call still in flight then (one waiting on the password prompt, say) settles
 * after the lock screen is up, and its notification must not appear there.
 */
let allowed = false;

export function allowNotifications(next: boolean): void {
  allowed = next;
  if (!next) notifications.clean();
}

export function notifySuccess(message: string): void {
  if (allowed) notifications.show({ color: 'teal', title: 'Done', message });
}

export function notifyFailure(title: string, error: unknown): void {
  if (allowed) notifications.show({ color: 'red', title, message: errorMessage(error), autoClose: 8000 });
}

/** A task ended (import, release, export…): shown wherever the person is in the console. */
export function notifyTaskEnded(title: string, message: string, color: 'teal' | 'red' | 'gray'): void {
  if (allowed) notifications.show({ color, title, message, autoClose: color === 'red' ? 10_000 : 6000 });
}
