import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { KeyRing } from '../crypto/keyRing.node.ts';
import type { SecretVault } from '../keychain/vault.std.ts';
import type { Logger } from '../log/logger.node.ts';
import type { SettingsStore } from '../settings/settings.node.ts';
import type { Db, Queryable } from '../store/database.node.ts';

/** An event the chain must still hold: its sequence number and hash. */
export interface WitnessedHead {
  seq: number;
  hash: string;
}

/** Whether the chain still reaches a witnessed head. `chainEndsAt` is the last event of the chain as it was cut. */
export type WitnessReach = { ok: true } | { ok: false; witnessedSeq: number; chainEndsAt: number; replaced: boolean };

/** Where a copy of the witness lives outside the database. */
export interface WitnessStore {
  readonly name: string;
  read(): Promise<string | null>;
  write(value: string): Promise<void>;
}

const stored = z
  .object({ v: z.literal(1), installId: z.string().max(64), seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/), keyVersion: z.number().int().positive(), mac: z.string().regex(/^[0-9a-f]{64}$/) })
  .strict();
type StoredWitness = z.infer<typeof stored>;

/** The keychain entry beside the KEK (`kek/<install id>`). */
export function witnessName(installId: string): string {
  return `audit-head/${installId}`;
}

export function vaultWitnessStore(vault: SecretVault, installId: string): WitnessStore {
  return {
    name: 'keychain',
    read: async () => (await vault.get(witnessName(installId)))?.toString('utf8') ?? null,
    write: (value) => vault.set(witnessName(installId), Buffer.from(value, 'utf8')),
  };
}

export function settingsWitnessStore(settings: SettingsStore): WitnessStore {
  return {
    name: 'settings',
    read: async () => settings.get('auditWitness') ?? null,
    write: async (value) => settings.set('auditWitness', value),
  };
}

/** The action of the event the start-up check appends when the chain no longer reaches its witness. */
export const INTEGRITY_ACTION = 'audit.integrity';

/**
 * A witness of the audit chain's head kept OUTSIDE the database (the keychain beside the KEK, and the
 * workstation's settings), so cutting events off the end and rewriting the `audit_head` row is noticed: the chain
 * must still hold the witnessed event with the witnessed hash. The witness is an HMAC under the audit domain key,
 * so it cannot be forged or moved forward from the settings file alone.
 *
 * It follows the chain cheaply: an append only schedules a refresh (at most one per `delayMs`), which reads the
 * committed last event after the transaction, never inside it. A witness that lags a few events is fine; a chain
 * AHEAD of it is fine too (another workstation sharing the database appended) — only a chain that no longer holds
 * the witnessed event is an attack. Once that is seen the witness is frozen, so the evidence is never overwritten.
 */
export class ChainWitness {
  private head: WitnessedHead | null = null;
  private frozen = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly ring: () => KeyRing,
    private readonly installId: string,
    private readonly stores: readonly WitnessStore[],
    private readonly logger: Logger,
    private readonly delayMs = 1_000,
  ) {}

  private mac(key: Buffer, seq: number, hash: string): string {
    return createHmac('sha256', key).update(`itpc/audit-witness/v1\u001f${this.installId}\u001f${seq}\u001f${hash}`).digest('hex');
  }

  private valid(w: StoredWitness): boolean {
    if (w.installId !== this.installId) return false;
    let key: Buffer;
    try {
      key = this.ring().domainKey('audit', w.keyVersion).key;
    } catch {
      return false;
    }
    return timingSafeEqual(Buffer.from(this.mac(key, w.seq, w.hash), 'hex'), Buffer.from(w.mac, 'hex'));
  }

  /** Reads every copy and keeps the furthest one that verifies; a forged or foreign copy is logged and ignored. */
  async load(): Promise<WitnessedHead | null> {
    for (const store of this.stores) {
      let text: string | null;
      try {
        text = await store.read();
      } catch (error) {
        this.logger.error('audit.witness_unreadable', error, { store: store.name });
        continue;
      }
      if (text === null) continue;
      let parsed: StoredWitness | null = null;
      try {
        parsed = stored.parse(JSON.parse(text));
      } catch {
        parsed = null;
      }
      if (!parsed || !this.valid(parsed)) {
        // A copy for another database (settings reused) or one altered by hand: not evidence either way.
        this.logger.warn('audit.witness_ignored', { store: store.name });
        continue;
      }
      if (!this.head || parsed.seq > this.head.seq) this.head = { seq: parsed.seq, hash: parsed.hash };
    }
    return this.head;
  }

  /** The furthest witnessed head (null before the first one is written). */
  current(): WitnessedHead | null {
    return this.head;
  }

  /** True once the chain was found not to reach the witness: it is then never moved again. */
  get isFrozen(): boolean {
    return this.frozen;
  }

  /** Does the chain in the database still hold the witnessed event? One indexed read. */
  async check(q: Queryable = this.db): Promise<WitnessReach> {
    const head = this.head;
    if (!head) return { ok: true };
    const row = await q('audit_events').where({ seq: head.seq }).first<{ hash: string } | undefined>('hash');
    if (row && row.hash === head.hash) return { ok: true };
    this.frozen = true;
    const last = await q('audit_events').max<{ s: number | null }>('seq as s').first();
    return { ok: false, witnessedSeq: head.seq, chainEndsAt: Number(last?.s ?? 0), replaced: Boolean(row) };
  }

  /** Called after each append: schedules one refresh, coalescing the appends until it runs. */
  noteAppend(): void {
    if (this.frozen || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Moves the witness to the last committed event, if the chain still holds the current witness. */
  refresh(): Promise<void> {
    this.running = this.running.then(() => this.advance()).catch((error: unknown) => this.logger.error('audit.witness_update_failed', error));
    return this.running;
  }

  private async advance(): Promise<void> {
    if (this.frozen) return;
    const last = await this.db('audit_events').orderBy('seq', 'desc').first<{ seq: number; hash: string } | undefined>('seq', 'hash');
    if (!last || (this.head && Number(last.seq) <= this.head.seq)) return;
    const reach = await this.check();
    if (!reach.ok) {
      this.logger.error('audit.witness_not_reached', null, { witnessedSeq: reach.witnessedSeq, chainEndsAt: reach.chainEndsAt });
      return;
    }
    const key = this.ring().audit;
    const witness: StoredWitness = { v: 1, installId: this.installId, seq: Number(last.seq), hash: last.hash, keyVersion: key.version, mac: this.mac(key.key, Number(last.seq), last.hash) };
    const text = JSON.stringify(witness);
    for (const store of this.stores) {
      try {
        await store.write(text);
      } catch (error) {
        this.logger.error('audit.witness_write_failed', error, { store: store.name });
      }
    }
    this.head = { seq: witness.seq, hash: witness.hash };
  }

  /**
   * After IT restored a backup through the console (audited in the restored chain): the restored chain's last event
   * becomes the witness, replacing the one the older chain no longer reaches. Only the restore calls this; a
   * database file replaced by hand is still found cut short at the next start.
   */
  async reanchor(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.frozen = false;
    this.head = null;
    await this.refresh();
  }

  /** Writes the witness for everything committed so far (the core calls this before closing the database). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.refresh();
  }
}
