import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Clock } from '../../platform/clock.std.ts';
import { generatePassphrase, passphraseProblem } from '../../platform/crypto/enrolmentPackage.node.ts';
import { sealRecoveryKit, SPLIT_SHARES, SPLIT_THRESHOLD } from '../../platform/crypto/recoveryKit.node.ts';
import { writeChosenFile, type FileSaver } from '../../platform/files/fileSaver.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { SecretVault } from '../../platform/keychain/vault.std.ts';
import type { Db, Queryable } from '../../platform/store/database.node.ts';
import type { StaffNameOf } from '../accounts/accounts.port.node.ts';
import type { AuditSink } from '../../platform/audit/auditSink.node.ts';
import { provenKek, writerTransaction } from './keyRotation.node.ts';
import { renderKitPdf } from './recoveryKitPdf.node.ts';

export const KITS_TABLE = 'recovery_kits';
export const CUSTODIANS_TABLE = 'recovery_kit_custodians';

interface KitRow {
  id: string;
  kek_id: string;
  created_at: string;
  created_by: string;
  threshold: number;
  shares: number;
}
interface CustodianRow {
  kit_id: string;
  share_index: number;
  user_id: string;
  acknowledged_at: string | null;
}

export interface RecoveryKitDeps {
  db: Db;
  vault: SecretVault;
  installId: string;
  clock: Clock;
  files: FileSaver;
  auditHead?: AuditSink;
  /** The KEK fingerprint the console runs under (a kit for another is stale). */
  kekId: () => string;
  /** scrypt cost of kits; tests lower it. */
  cost?: number;
}

/** Recovery kits: made here (the PDF and the text), restored on the recovery screen (workstation feature). */
export class RecoveryKits {
  constructor(private readonly deps: RecoveryKitDeps) {}

  async create(
    input: { split: boolean; custodians?: string[]; passphrase?: string },
    caller: { userId: string; senderId: string },
    names: (q: Queryable) => Promise<StaffNameOf>,
    audit: (q: Queryable, details: Record<string, string | number | boolean>) => Promise<void>,
  ) {
    const { db, vault, installId, clock, files } = this.deps;
    const custodians = input.custodians ?? [];
    if (input.split && (custodians.length !== SPLIT_SHARES || new Set(custodians).size !== SPLIT_SHARES)) {
      throw new AppError('INVALID_INPUT', `Name ${SPLIT_SHARES} different custodians, one for each share.`);
    }
    if (!input.split && custodians.length) throw new AppError('INVALID_INPUT', 'Custodians are named only for a kit split into shares.');
    if (custodians.length) {
      const active = await db('users').whereIn('id', custodians).where({ status: 'active' }).pluck<string[]>('id');
      if (active.length !== custodians.length) throw new AppError('INVALID_INPUT', 'Every custodian must be an active account.');
    }
    const typed = input.passphrase;
    if (typed !== undefined) {
      const problem = passphraseProblem(typed);
      if (problem) throw new AppError('INVALID_INPUT', `The passphrase is too weak: ${problem.toLowerCase()}.`);
    }
    const kitId = randomUUID();
    const destination = await files.choosePath({ senderId: caller.senderId, suggestedName: `recovery-kit-${kitId.slice(0, 8)}.pdf`, filter: { name: 'PDF', extensions: ['pdf'] } });
    if (!destination) throw new AppError('CANCELLED', 'No file was chosen. No kit was made.');
    const passphrase = typed ?? generatePassphrase();
    const createdAt = new Date(clock.now());
    const kek = await provenKek(db, vault, installId);
    let sealed;
    try {
      sealed = await sealRecoveryKit({ kek, installId, passphrase, createdAt, kitId, split: input.split, logN: this.deps.cost });
    } finally {
      kek.fill(0);
    }
    const nameOf = await names(db);
    const threshold = input.split ? SPLIT_THRESHOLD : 1;
    const facts = { kitId, kekId: sealed.kekId, installId, createdAt: createdAt.toISOString(), threshold, shares: sealed.texts.length };
    const pdf = await renderKitPdf(
      facts,
      sealed.texts.map((text, i) => ({ title: input.split ? `Recovery kit share ${i + 1} of ${sealed.texts.length}` : 'Recovery kit', custodian: input.split ? (nameOf(custodians[i]!) ?? 'unnamed') : null, text })),
    );
    await writeChosenFile(destination, pdf);
    try {
      await writerTransaction(db, this.deps.auditHead, async (trx) => {
        await trx(KITS_TABLE).insert({ id: kitId, kek_id: sealed.kekId, created_at: facts.createdAt, created_by: caller.userId, threshold, shares: sealed.texts.length } satisfies KitRow);
        if (custodians.length) {
          await trx(CUSTODIANS_TABLE).insert(custodians.map((userId, i): CustodianRow => ({ kit_id: kitId, share_index: i + 1, user_id: userId, acknowledged_at: null })));
        }
        await audit(trx, { kitId, kekId: sealed.kekId, threshold, shares: sealed.texts.length, passphrase: typed === undefined ? 'generated' : 'typed' });
      });
    } catch (error) {
      await unlink(destination).catch(() => undefined);
      throw error;
    }
    return { kitId, kekId: sealed.kekId, texts: sealed.texts, generatedPassphrase: typed === undefined ? passphrase : null, fileName: basename(destination) };
  }

  async list(q: Queryable, nameOf: StaffNameOf) {
    const kits = await q<KitRow>(KITS_TABLE).orderBy('created_at', 'desc').limit(20).select();
    const custodians = kits.length ? await q<CustodianRow>(CUSTODIANS_TABLE).whereIn('kit_id', kits.map((k) => k.id)).orderBy('share_index').select() : [];
    const current = this.deps.kekId();
    return kits.map((k) => ({
      id: k.id,
      kekId: k.kek_id,
      current: k.kek_id === current,
      createdAt: k.created_at,
      createdByName: nameOf(k.created_by),
      threshold: Number(k.threshold),
      shares: Number(k.shares),
      custodians: custodians.filter((c) => c.kit_id === k.id).map((c) => ({ share: Number(c.share_index), userId: c.user_id, displayName: nameOf(c.user_id), acknowledgedAt: c.acknowledged_at })),
    }));
  }

  async mine(q: Queryable, userId: string) {
    const rows = await q(CUSTODIANS_TABLE)
      .join(KITS_TABLE, `${KITS_TABLE}.id`, `${CUSTODIANS_TABLE}.kit_id`)
      .where(`${CUSTODIANS_TABLE}.user_id`, userId)
      .orderBy(`${KITS_TABLE}.created_at`, 'desc')
      .select<(CustodianRow & KitRow)[]>(`${CUSTODIANS_TABLE}.*`, `${KITS_TABLE}.kek_id`, `${KITS_TABLE}.created_at`, `${KITS_TABLE}.threshold`, `${KITS_TABLE}.shares`);
    const current = this.deps.kekId();
    return rows.map((r) => ({ kitId: r.kit_id, share: Number(r.share_index), shares: Number(r.shares), threshold: Number(r.threshold), kekId: r.kek_id, current: r.kek_id === current, createdAt: r.created_at, acknowledgedAt: r.acknowledged_at }));
  }

  /** Only the custodian themselves; once. A conditional update, so a repeated call changes nothing. */
  async acknowledge(q: Queryable, userId: string, kitId: string): Promise<{ kitId: string; share: number; acknowledgedAt: string }> {
    const row = await q<CustodianRow>(CUSTODIANS_TABLE).where({ kit_id: kitId, user_id: userId }).first();
    if (!row) throw new AppError('NOT_FOUND', 'You are not a custodian of this recovery kit. Nothing was changed.');
    if (row.acknowledged_at) throw new AppError('CONFLICT', 'You already acknowledged this share. Nothing was changed.');
    const now = this.deps.clock.nowIso();
    const updated = await q(CUSTODIANS_TABLE).where({ kit_id: kitId, user_id: userId }).whereNull('acknowledged_at').update({ acknowledged_at: now });
    if (updated !== 1) throw new AppError('CONFLICT', 'You already acknowledged this share. Nothing was changed.');
    return { kitId, share: Number(row.share_index), acknowledgedAt: now };
  }
}
