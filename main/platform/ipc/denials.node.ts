import type { AuditSink } from '../audit/auditSink.node.ts';
import type { Clock } from '../clock.std.ts';
import type { Logger } from '../log/logger.node.ts';
import type { Db } from '../store/database.node.ts';

/** One refused call, as the audit log records it. */
export interface Denial {
  senderId: string;
  actorId: string | null;
  channel: string;
  code: string;
}

interface Window {
  denial: Denial;
  startedAt: number;
  /** Denials after the first, not yet written. */
  suppressed: number;
  timer: ReturnType<typeof setTimeout> | null;
}

export const DENIAL_WINDOW_MS = 60_000;
/** More distinct (sender, actor, channel, code) windows than this at once: all are flushed, so memory stays bounded. */
const MAX_OPEN_WINDOWS = 1_000;

/**
 * Coalesces repeated denials so a compromised renderer cannot flood the audit chain: per sender, actor, channel
 * and code, the first denial of a window is written at once (`count: 1`); later ones in the same window are
 * counted and written as ONE `access.denied` event carrying their `count` when the window closes (a timer), on the
 * next denial after it, or when the core closes. Every denial is counted in some event; 100 calls write 2 rows.
 */
export class DenialCoalescer {
  private readonly windows = new Map<string, Window>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditSink,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly logger: Logger,
    private readonly windowMs = DENIAL_WINDOW_MS,
  ) {}

  private write(denial: Denial, count: number): Promise<void> {
    return this.audit
      .append(this.db, { actorId: denial.actorId, action: 'access.denied', outcome: 'denied', details: { channel: denial.channel, code: denial.code, count } })
      .then(() => undefined);
  }

  /** Resolves once the denial is either written or counted toward its window's summary. */
  async record(denial: Denial): Promise<void> {
    const key = JSON.stringify([denial.senderId, denial.actorId, denial.channel, denial.code]);
    const open = this.windows.get(key);
    if (open && this.clock.now() - open.startedAt < this.windowMs) {
      open.suppressed += 1;
      return;
    }
    if (open) await this.close(key);
    if (this.windows.size >= MAX_OPEN_WINDOWS) await this.flush();
    const window: Window = { denial, startedAt: this.clock.now(), suppressed: 0, timer: null };
    window.timer = setTimeout(() => this.track(this.close(key)), this.windowMs);
    window.timer.unref();
    this.windows.set(key, window);
    await this.write(denial, 1);
  }

  /** Writes a window's summary (if any denial was held back) and forgets it. */
  private async close(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (!window) return;
    this.windows.delete(key);
    if (window.timer) clearTimeout(window.timer);
    if (window.suppressed > 0) await this.write(window.denial, window.suppressed);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.logger.error('audit.denials_flush_failed', error));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** Writes every held-back count now (the core calls this before it closes the database). */
  async flush(): Promise<void> {
    for (const key of [...this.windows.keys()]) await this.close(key);
    await Promise.all([...this.pending]);
  }
}
