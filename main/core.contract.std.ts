import type { ChannelName } from './api.std.ts';
import type { ApiResult } from './platform/ipc/errors.std.ts';
import type { ApiEventName, ApiEvents } from './platform/ipc/events.std.ts';

/** Who is calling: the transport (Electron IPC or the test bridge) decides whether the frame is the app's own. */
export interface Caller {
  senderId: string;
  trusted: boolean;
}

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
