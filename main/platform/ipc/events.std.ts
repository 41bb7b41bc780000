/** Events main pushes to the renderer. Payloads carry no PII. */
export interface ApiEvents {
  'session.locked': { reason: 'idle' | 'manual' };
  'session.ended': { reason: 'account_disabled' | 'role_changed' | 'password_reset' | 'password_changed' | 'locked_out' };
  progress: { taskId: string; done: number; total: number };
}
export type ApiEventName = keyof ApiEvents;
export const API_EVENT_NAMES: readonly ApiEventName[] = ['session.locked', 'session.ended', 'progress'];
