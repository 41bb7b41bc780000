import type { ChannelName } from './api.std.ts';
import type { ApiResult } from './platform/ipc/errors.std.ts';
import type { Caller } from './platform/ipc/caller.std.ts';
import type { ApiEventName, ApiEvents } from './platform/ipc/events.std.ts';

export type { Caller } from './platform/ipc/caller.std.ts';

export type EventListener = <E extends ApiEventName>(senderId: string, event: E, payload: ApiEvents[E]) => void;

/** The main-process core as a transport sees it. Implemented in core.node.ts. */
export interface Core {
  handle(caller: Caller, channel: ChannelName | string, payload: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: EventListener): () => void;
  /** The window behind this sender closed: its session ends. */
  endSession(senderId: string): void;
  /** Locks sessions idle past the configured time; also runs on a timer. */
  sweepIdle(): void;
  close(): Promise<void>;
  readonly paths: { dataDir: string; database: string; logs: string; settings: string };
}
