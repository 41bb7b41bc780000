import { randomInt, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../platform/clock.std.ts';
import type { BlindIndexedRows } from '../../platform/crypto/blindIndexedRows.node.ts';
import type { FreshIndexKeys } from '../../platform/crypto/domainKeys.node.ts';
import { blindIndex, blindIndexProbes } from '../../platform/crypto/envelope.node.ts';
import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import { domainWrapper, type DataKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Role } from '../../platform/ipc/roles.std.ts';
import { asBuffer, type Db, type Queryable } from '../../platform/store/database.node.ts';
import type { AuditSink } from '../../platform/audit/auditSink.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { countRows } from '../../platform/store/queries.node.ts';
import { inTransaction } from '../../platform/store/transaction.node.ts';
import type { Account } from './accounts.contract.std.ts';
import type { AccountSessionState, StaffAccounts, StaffDirectory } from './accounts.port.node.ts';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './passwordRules.std.ts';
import type { PasswordHasher } from './passwords.node.ts';

export const USERS_TABLE = 'users';

/** The encrypted `profile` section of a staff account. */
interface StaffProfile {
  username: string;
  displayName: string;
}

/** Opens a staff account's profile: the one place a `users.profile` ciphertext is read. */
function openProfile(cipher: RecordCipher, keys: DataKeyWrapper, row: { id: string; dek: Buffer; profile: Buffer }): StaffProfile {
  return cipher.open<StaffProfile>(keys, row.id, asBuffer(row.dek), 'profile', asBuffer(row.profile));
}

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/**
 * Counters kept for unknown usernames. Beyond this many names the least recently tried are forgotten, so the table
 * stays bounded however many names are probed (each try costs a full scrypt). Only a prober who interleaves more
 * than this many other names between two tries of one name could tell it from a real account.
 */
export const MAX_UNKNOWN_NAMES = 10_000;
const LOGIN_FAILURES = 'login_failures';
export const USERNAME_INDEX = 'users.username';

/** Usernames match whatever their case and surrounding spaces. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

interface UserRow {
  id: string;
  username_index: string;
  dek: Buffer;
  profile: Buffer;
  role: Role;
  status: 'active' | 'disabled';
  password_hash: string;
  failed_attempts: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  session_epoch: number;
  must_change_password: boolean | number;
  password_reset_by: string | null;
  password_reset_at: string | null;
  pending_approval_id: string | null;
  pending_role: Role | null;
}

export interface User extends Account {
  passwordHash: string;
  failedAttempts: number;
  sessionEpoch: number;
  /** Who reset the password (account id) and when; kept until the person sets their own. */
  passwordResetBy: string | null;
  passwordResetAt: string | null;
  /** A grant of a role (or of re-enabling) waiting for a second IT administrator. */
  pendingApprovalId: string | null;
  pendingRole: Role | null;
}

/** Roles that reach customer data (manager) or every account (IT administrator): granting them takes two admins. */
export const GRANTED_ROLES: ReadonlySet<Role> = new Set<Role>(['manager', 'it_admin']);

/** What an approved role grant does: the new account or re-enabled one becomes active, or the role changes. */
export type RoleGrantChange = 'create' | 'enable' | 'role';

const PENDING_RESETS = 'pending_password_resets';
/** One-time codes: 16 characters from an alphabet without look-alikes (80 bits), in four groups to read out. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function oneTimeCode(): string {
  const chars = Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** The meta row first-run setup claims: a second workstation's setup at the same moment fails on its key. */
const FIRST_ADMIN_KEY = 'first_admin';
const SETUP_DONE = 'Setup has already been completed. Sign in instead.';

const INVALID_CREDENTIALS = new AppError('INVALID_CREDENTIALS', 'Username or password is incorrect.');

/** Staff accounts. Usernames and display names are encrypted like any PII; lookups go through a blind index. */
export class AccountService implements StaffAccounts, StaffDirectory {
  private readonly cipher: RecordCipher;

  constructor(
    private readonly db: Db,
    private readonly ring: () => KeyRing,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditSink,
    /** The office's minimum password length (settings); never below MIN_PASSWORD_LENGTH. */
    private readonly officeMinLength: () => number = () => MIN_PASSWORD_LENGTH,
    /**
     * Brings the ring to the newest blind-index version inside a write's transaction (see FreshIndexKeys). Absent
     * only on databases from before migration 0020 (migration tests): no `index_version` is written then.
     */
    private readonly indexKeys?: FreshIndexKeys,
  ) {
    this.cipher = new RecordCipher(USERS_TABLE);
  }

  minPasswordLength(): number {
    return Math.max(MIN_PASSWORD_LENGTH, this.officeMinLength());
  }

  private passwordProblem(password: string, username: string): string | null {
    return passwordProblem(password, username, this.minPasswordLength());
  }

  async resetNotice(q: Queryable, userId: string): Promise<{ byName: string | null; at: string } | null> {
    const user = await this.get(q, userId);
    if (!user.mustChangePassword || !user.passwordResetAt) return null;
    return { byName: await this.displayNameOf(q, user.passwordResetBy), at: user.passwordResetAt };
  }

  /** Staff records belong to no customer: their data keys are wrapped by the current dek-wrap domain key. */
  private keys(): DataKeyWrapper {
    return domainWrapper(this.ring());
  }

  private index(username: string): string {
    return blindIndex(this.ring(), USERNAME_INDEX, normalizeUsername(username));
  }

  /** The name's index under every version the ring holds (two while a blind-index rotation runs). */
  private probes(username: string): string[] {
    return blindIndexProbes(this.ring(), USERNAME_INDEX, normalizeUsername(username));
  }

  /**
   * Staff accounts for a blind-index rotation: each username is opened from its profile and indexed under the new
   * version; the update is conditional on the row's index being the one read.
   */
  usernameIndexRows(): BlindIndexedRows {
    return {
      table: USERS_TABLE,
      countNotUnder: (q, version) => countRows(q(USERS_TABLE).whereNot('index_version', version)),
      reindex: async (q, version, after, limit) => {
        const rows = await q<UserRow & { index_version: number }>(USERS_TABLE)
          .modify((b) => void (after && b.where('id', '>', after)))
          .whereNot('index_version', version)
          .orderBy('id')
          .limit(limit)
          .select('id', 'dek', 'profile', 'username_index', 'index_version');
        let moved = 0;
        for (const row of rows) {
          const { username } = openProfile(this.cipher, this.keys(), row);
          moved += await q(USERS_TABLE)
            .where({ id: row.id, username_index: row.username_index })
            .update({ username_index: blindIndex(this.ring(), USERNAME_INDEX, normalizeUsername(username), version), index_version: version });
        }
        return { moved, last: rows.at(-1)?.id ?? null };
      },
    };
  }

  /** The version column for a row indexed now; none on a database from before migration 0020. */
  private indexVersion(): { index_version?: number } {
    return this.indexKeys ? { index_version: this.ring().indexVersion } : {};
  }

  private toUser(row: UserRow): User {
    const profile = openProfile(this.cipher, this.keys(), row);
    const lockedUntil = row.locked_until && Date.parse(row.locked_until) > this.clock.now() ? row.locked_until : null;
    return {
      id: row.id,
      username: profile.username,
      displayName: profile.displayName,
      role: row.role,
      status: row.status,
      lockedUntil,
      createdAt: row.created_at,
      lastLoginAt: row.last_login_at,
      mustChangePassword: Boolean(row.must_change_password),
      passwordHash: row.password_hash,
      failedAttempts: row.failed_attempts,
      sessionEpoch: Number(row.session_epoch ?? 0),
      passwordResetBy: row.password_reset_by ?? null,
      passwordResetAt: row.password_reset_at ?? null,
      pendingApprovalId: row.pending_approval_id ?? null,
      pendingRole: row.pending_role ?? null,
    };
  }

  async count(q: Queryable = this.db): Promise<number> {
    return countRows(q(USERS_TABLE));
  }

  async sessionState(q: Queryable, userId: string): Promise<AccountSessionState | null> {
    const row = await q<UserRow>(USERS_TABLE).where({ id: userId }).first('status', 'role', 'session_epoch', 'must_change_password');
    return row
      ? { status: row.status, role: row.role, sessionEpoch: Number(row.session_epoch ?? 0), mustChangePassword: Boolean(row.must_change_password) }
      : null;
  }

  async createFirstAdmin(q: Queryable, input: { username: string; displayName: string; password: string }): Promise<User> {
    await dialectOf(q).claimWrite(q);
    if ((await this.count(q)) > 0) throw new AppError('CONFLICT', SETUP_DONE);
    try {
      // Held by the database: of two workstations setting up at once, the second's insert of this key fails.
      await q('meta').insert({ key: FIRST_ADMIN_KEY, value: this.clock.nowIso() });
    } catch (error) {
      if (dialectOf(q).classifyError(error) === 'unique_violation') throw new AppError('CONFLICT', SETUP_DONE);
      throw error;
    }
    return this.create(q, { ...input, role: 'it_admin' });
  }

  async get(q: Queryable, id: string): Promise<User> {
    const row = await q<UserRow>('users').where({ id }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such account.');
    return this.toUser(row);
  }

  async list(q: Queryable): Promise<User[]> {
    const rows = await q<UserRow>('users').orderBy('created_at');
    return rows.map((row) => this.toUser(row));
  }

  /** `status: 'disabled'` creates an account that waits for a role grant's approval before anyone can use it. */
  async create(
    q: Queryable,
    input: { username: string; displayName: string; role: Role; password: string; status?: 'active' | 'disabled' },
  ): Promise<User> {
    const problem = this.passwordProblem(input.password, input.username);
    if (problem) throw new AppError('INVALID_INPUT', `Password: ${problem}`);
    await this.indexKeys?.(q);
    const usernameIndex = this.index(input.username);
    if (await q('users').whereIn('username_index', this.probes(input.username)).first()) {
      throw new AppError('CONFLICT', 'That username is already taken.');
    }
    const id = randomUUID();
    const sealed = this.cipher.sealNew(this.keys(), id, { profile: { username: input.username, displayName: input.displayName } });
    const now = this.clock.nowIso();
    await q('users').insert({
      id,
      username_index: usernameIndex,
      ...this.indexVersion(),
      dek: sealed.dek,
      profile: sealed.columns.profile,
      role: input.role,
      status: input.status ?? 'active',
      password_hash: await this.hasher.hash(input.password),
      failed_attempts: 0,
      created_at: now,
      updated_at: now,
    });
    return this.get(q, id);
  }

  async update(
    q: Queryable,
    id: string,
    changes: { role?: Role; status?: 'active' | 'disabled'; displayName?: string; clearLockout?: true },
  ): Promise<{ user: User; fields: string[] }> {
    await dialectOf(q).claimWrite(q);
    const row = await q<UserRow>('users').where({ id }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such account.');
    const patch: Partial<UserRow> = { updated_at: this.clock.nowIso() };
    const fields: string[] = [];
    const change = (field: string, values: Partial<UserRow>) => {
      Object.assign(patch, values);
      fields.push(field);
    };
    if (changes.role && changes.role !== row.role) change('role', { role: changes.role });
    if (changes.status && changes.status !== row.status) change('status', { status: changes.status });
    if (changes.clearLockout) change('lockout', { failed_attempts: 0, locked_until: null });
    if (changes.displayName !== undefined) {
      const profile = openProfile(this.cipher, this.keys(), row);
      const columns = this.cipher.reseal(this.keys(), id, asBuffer(row.dek), { profile: { ...profile, displayName: changes.displayName } });
      change('displayName', { profile: columns.profile });
    }
    if (row.role === 'it_admin' && (patch.role !== undefined || patch.status === 'disabled')) {
      await this.keepOneAdmin(q, id);
    }
    // A direct change of role or status supersedes a grant still waiting: approving it later changes nothing.
    if ((patch.role !== undefined || patch.status !== undefined) && row.pending_approval_id) {
      Object.assign(patch, { pending_approval_id: null, pending_role: null });
    }
    // Its sessions on every workstation end at their next call (the router compares epochs).
    const endsSessions = patch.role !== undefined || patch.status === 'disabled';
    const query = q('users').where({ id });
    if (endsSessions) await query.update({ ...patch, session_epoch: q.raw('session_epoch + 1') });
    else await query.update(patch);
    return { user: await this.get(q, id), fields };
  }

  /** Active IT administrators other than `userId`: with none, a role grant cannot wait for a second one. */
  async otherActiveAdmins(q: Queryable, userId: string): Promise<number> {
    return countRows(q(USERS_TABLE).where({ role: 'it_admin', status: 'active' }).whereNot({ id: userId }));
  }

  /** Marks a role grant as waiting for approval `approvalId`; it changes nothing else until approved. */
  async holdForApproval(q: Queryable, id: string, approvalId: string, role: Role): Promise<void> {
    await q(USERS_TABLE).where({ id }).update({ pending_approval_id: approvalId, pending_role: role, updated_at: this.clock.nowIso() });
  }

  /**
   * Applies an approved role grant — only the one the account is still waiting for (a later request or a direct
   * change since supersedes it: CONFLICT, and the approval stays undecided).
   */
  async applyRoleGrant(q: Queryable, approvalId: string, grant: { userId: string; role: Role; change: RoleGrantChange }): Promise<User> {
    await dialectOf(q).claimWrite(q);
    const row = await q<UserRow>(USERS_TABLE).where({ id: grant.userId }).first();
    if (!row) throw new AppError('NOT_FOUND', 'The account of this request no longer exists.');
    if (row.pending_approval_id !== approvalId || row.pending_role !== grant.role) {
      throw new AppError('CONFLICT', 'This account changed since the request was made: ask for a new one.');
    }
    await q(USERS_TABLE).where({ id: grant.userId }).update({ pending_approval_id: null, pending_role: null });
    const changes = grant.change === 'role' ? { role: grant.role } : { status: 'active' as const };
    return (await this.update(q, grant.userId, changes)).user;
  }

  /** A fresh one-time code and its hash: the code is shown once, only the hash is stored. */
  async newOneTimeCode(): Promise<{ code: string; hash: string }> {
    const code = oneTimeCode();
    return { code, hash: await this.hasher.hash(code) };
  }

  /**
   * An IT reset: the password becomes a one-time code the administrator hands over, which works until the person
   * sets their own (the only thing its session may do); they are told who reset it and when. Failed attempts and
   * any lockout are cleared; every session of the account ends.
   */
  async resetPassword(q: Queryable, id: string, codeHash: string, resetBy: string): Promise<User> {
    await this.get(q, id);
    await q(USERS_TABLE).where({ id }).update({
      password_hash: codeHash,
      must_change_password: true,
      password_reset_by: resetBy,
      password_reset_at: this.clock.nowIso(),
      failed_attempts: 0,
      locked_until: null,
      updated_at: this.clock.nowIso(),
      session_epoch: q.raw('session_epoch + 1'),
    });
    return this.get(q, id);
  }

  /** A manager's or administrator's reset waiting for approval `approvalId`: the old password works until then. */
  async stagePasswordReset(q: Queryable, input: { userId: string; approvalId: string; codeHash: string; requestedBy: string }): Promise<void> {
    await q(PENDING_RESETS).insert({
      approval_id: input.approvalId,
      user_id: input.userId,
      code_hash: input.codeHash,
      requested_by: input.requestedBy,
      requested_at: this.clock.nowIso(),
    });
  }

  /** Approval ids of resets staged for these accounts (pending or not: the caller asks the approvals which are). */
  async stagedResets(q: Queryable, userIds?: readonly string[]): Promise<{ approvalId: string; userId: string }[]> {
    const query = q<{ approval_id: string; user_id: string }>(PENDING_RESETS).select('approval_id', 'user_id');
    if (userIds) query.whereIn('user_id', userIds);
    return (await query).map((r) => ({ approvalId: r.approval_id, userId: r.user_id }));
  }

  /** Applies an approved reset: the staged code becomes the password (as an immediate reset would). */
  async applyPasswordReset(q: Queryable, approvalId: string): Promise<User> {
    const staged = await q(PENDING_RESETS).where({ approval_id: approvalId }).first<{ user_id: string; code_hash: string; requested_by: string } | undefined>();
    if (!staged) throw new AppError('NOT_FOUND', 'The code of this reset is gone: ask for a new reset.');
    // Older staged codes of the account are void: only the newest approved one may work.
    await q(PENDING_RESETS).where({ user_id: staged.user_id }).delete();
    return this.resetPassword(q, staged.user_id, staged.code_hash, staged.requested_by);
  }

  /**
   * The person sets their own password (after checking the current one, which the caller does with
   * checkPassword so it counts toward the lockout). Clears a forced change and the reset notice; other sessions
   * of the account end (the caller keeps its own by adopting the returned epoch).
   */
  async changeOwnPassword(q: Queryable, id: string, current: string, next: string): Promise<User> {
    const user = await this.get(q, id);
    const problem = this.passwordProblem(next, user.username);
    if (problem) throw new AppError('INVALID_INPUT', `New password: ${problem}`);
    if (next === current) throw new AppError('INVALID_INPUT', 'New password: must differ from the current one');
    await q(USERS_TABLE).where({ id }).update({
      password_hash: await this.hasher.hash(next),
      must_change_password: false,
      password_reset_by: null,
      password_reset_at: null,
      updated_at: this.clock.nowIso(),
      session_epoch: q.raw('session_epoch + 1'),
    });
    return this.get(q, id);
  }

  /** The display name of whoever reset this account's password (null when unknown or gone). */
  async displayNameOf(q: Queryable, id: string | null): Promise<string | null> {
    if (!id) return null;
    const row = await q<UserRow>(USERS_TABLE).where({ id }).first();
    return row ? openProfile(this.cipher, this.keys(), row).displayName : null;
  }

  /**
   * Refuses a change that would leave nobody able to manage accounts and keys. The active administrators' rows
   * are locked first (SQLite: the transaction already holds the write lock), so two administrators disabling
   * each other at once are decided one after the other and the second sees the first's change.
   */
  private async keepOneAdmin(q: Queryable, changingId: string): Promise<void> {
    const admins = await dialectOf(q).forUpdate(q(USERS_TABLE).where({ role: 'it_admin', status: 'active' }).select('id'));
    const others = (admins as { id: string }[]).filter((a) => a.id !== changingId).length;
    if (others === 0) {
      throw new AppError('CONFLICT', 'At least one active IT administrator must remain.');
    }
  }

  /** The lockout state of an account as stored right now (no decryption). */
  private async counters(id: string): Promise<{ failedAttempts: number; lockedUntil: string | null; status: UserRow['status'] }> {
    const row = await this.db<UserRow>('users').where({ id }).first('failed_attempts', 'locked_until', 'status');
    if (!row) throw new AppError('NOT_FOUND', 'No such account.');
    const lockedUntil = row.locked_until && Date.parse(row.locked_until) > this.clock.now() ? row.locked_until : null;
    return { failedAttempts: Number(row.failed_attempts), lockedUntil, status: row.status };
  }

  /**
   * Login: a wrong password, unknown user or disabled account all look alike to the caller — by code, message,
   * lockout and timing. An unknown name costs one scrypt on a throw-away hash (like verifying a real one) and its
   * failures count toward the same lockout, kept under the name's blind index in `login_failures`.
   */
  async authenticate(username: string, password: string): Promise<User> {
    const row = await this.db<UserRow>('users').whereIn('username_index', this.probes(username)).first();
    if (!row) {
      await this.hasher.burn(password);
      const { answer, reason, lockedNow } = await this.countUnknownFailure(await this.unknownNameKey(username));
      await this.audit.append(this.db, { actorId: null, action: 'auth.login', outcome: 'failed', details: { reason } });
      if (lockedNow) await this.audit.append(this.db, { actorId: null, action: 'auth.lockout', outcome: 'ok', details: { attempts: MAX_FAILED_ATTEMPTS, unknownUser: true } });
      throw answer;
    }
    const user = await this.checkPassword(row.id, password, 'auth.login');
    await this.db('users').where({ id: user.id }).update({ last_login_at: this.clock.nowIso() });
    await this.audit.append(this.db, { actorId: user.id, action: 'auth.login', outcome: 'ok' });
    return { ...user, lastLoginAt: this.clock.nowIso() };
  }

  /**
   * The unknown name's counter row: found under any index version the ring holds, and moved to the current one
   * when found under an older one (the name is in hand only now: a rotation cannot re-index these rows).
   */
  private async unknownNameKey(username: string): Promise<string> {
    const [current, ...older] = this.probes(username);
    if (!older.length) return current!;
    const rows = await this.db(LOGIN_FAILURES).whereIn('name_index', [current!, ...older]).pluck<string[]>('name_index');
    if (rows.includes(current!) || !rows.length) return current!;
    await this.db(LOGIN_FAILURES).where({ name_index: rows[0]! }).update({ name_index: current!, ...this.indexVersion() });
    return current!;
  }

  /** The same counting `checkPassword` does for an account, on the unknown name's row (atomic increments). */
  private async countUnknownFailure(nameIndex: string): Promise<{ answer: AppError; reason: string; lockedNow: boolean }> {
    const now = this.clock.nowIso();
    const notLocked = (b: Knex.QueryBuilder) => void b.whereNull('locked_until').orWhere('locked_until', '<=', now);
    const current = await this.db(LOGIN_FAILURES).where({ name_index: nameIndex }).first<{ locked_until: string | null } | undefined>();
    if (current?.locked_until && Date.parse(current.locked_until) > this.clock.now()) {
      return { answer: lockedOut(current.locked_until, this.clock.now()), reason: 'locked_out', lockedNow: false };
    }
    if (!current) {
      await this.db(LOGIN_FAILURES).insert({ name_index: nameIndex, ...this.indexVersion(), failed_attempts: 0, locked_until: null, last_failed_at: now }).onConflict('name_index').ignore();
      await this.forgetOldestUnknownNames();
    }
    const counted = await this.db(LOGIN_FAILURES)
      .where({ name_index: nameIndex })
      .where(notLocked)
      .update({ failed_attempts: this.db.raw('failed_attempts + 1'), last_failed_at: now });
    const after = await this.db(LOGIN_FAILURES).where({ name_index: nameIndex }).first<{ failed_attempts: number; locked_until: string | null }>();
    const lockedUntil = after?.locked_until && Date.parse(after.locked_until) > this.clock.now() ? after.locked_until : null;
    if (!counted || lockedUntil) return { answer: lockedOut(lockedUntil ?? now, this.clock.now()), reason: 'unknown_user', lockedNow: false };
    if (Number(after?.failed_attempts ?? 0) >= MAX_FAILED_ATTEMPTS) {
      const until = new Date(this.clock.now() + LOCKOUT_MS).toISOString();
      const locked = await this.db(LOGIN_FAILURES)
        .where({ name_index: nameIndex })
        .where('failed_attempts', '>=', MAX_FAILED_ATTEMPTS)
        .where(notLocked)
        .update({ failed_attempts: 0, locked_until: until });
      return { answer: lockedOut(until, this.clock.now()), reason: 'unknown_user', lockedNow: locked > 0 };
    }
    return { answer: INVALID_CREDENTIALS, reason: 'unknown_user', lockedNow: false };
  }

  /** Keeps `login_failures` bounded: the least recently tried names beyond the cap are dropped. */
  private async forgetOldestUnknownNames(): Promise<void> {
    const total = await countRows(this.db(LOGIN_FAILURES));
    if (total <= MAX_UNKNOWN_NAMES) return;
    const oldest = this.db(LOGIN_FAILURES).select('name_index').orderBy('last_failed_at').limit(total - MAX_UNKNOWN_NAMES);
    await this.db(LOGIN_FAILURES).whereIn('name_index', oldest).delete();
  }

  /**
   * Checks a signed-in or signing-in user's password, counting failures toward the lockout.
   * Used by login, unlock, re-authentication and password change alike, so none of them is a way around it.
   *
   * Each attempt is counted before its password is evaluated (one atomic increment that only succeeds below the
   * limit and outside a lockout), so however many arrive at once — 30 parallel calls at full scrypt cost — at most
   * MAX_FAILED_ATTEMPTS are ever evaluated per lockout window; the rest are refused unevaluated and lock the
   * account. A success forgives the attempts counted so far.
   */
  async checkPassword(userId: string, password: string, action: string): Promise<User> {
    const user = await this.get(this.db, userId);
    const fail = async (reason: string, code: AppError) => {
      await this.audit.append(this.db, { actorId: user.id, action, outcome: 'failed', details: { reason } });
      throw code;
    };
    const notLocked = (now: string) => (b: Knex.QueryBuilder) => void b.whereNull('locked_until').orWhere('locked_until', '<=', now);
    const ordinal = await this.reserveAttempt(user.id);
    if (ordinal === null) {
      // Locked, or the window's guesses are all spent (counted, some perhaps still being evaluated): this one is
      // not evaluated. It still costs one scrypt, so a refusal is not told apart by timing.
      await this.hasher.burn(password);
      const lockedUntil = (await this.counters(user.id)).lockedUntil ?? (await this.lock(user.id, MAX_FAILED_ATTEMPTS + 1));
      return fail('locked_out', lockedOut(lockedUntil, this.clock.now()));
    }
    const valid = await this.hasher.verify(password, user.passwordHash);
    // Decide on the row as it is now: other attempts may have locked it while this one was hashing.
    const current = await this.counters(user.id);
    if (current.status !== 'active') return fail('disabled', INVALID_CREDENTIALS);
    if (current.lockedUntil && valid) return fail('locked_out', lockedOut(current.lockedUntil, this.clock.now()));
    if (!valid) {
      // The attempt that used up the window locks it; earlier ones are told the password was wrong.
      if (ordinal >= MAX_FAILED_ATTEMPTS) return fail('bad_password', lockedOut(await this.lock(user.id, ordinal), this.clock.now()));
      return fail('bad_password', INVALID_CREDENTIALS);
    }
    const forgiven = await this.db(USERS_TABLE).where({ id: user.id }).where(notLocked(this.clock.nowIso())).update({ failed_attempts: 0 });
    if (!forgiven) {
      const { lockedUntil } = await this.counters(user.id);
      return fail('locked_out', lockedOut(lockedUntil ?? this.clock.nowIso(), this.clock.now()));
    }
    return user;
  }

  /**
   * Counts an attempt before it is evaluated: one increment that only succeeds below the limit and outside a lock,
   * and the count it reached (its place in the window), read under the same row lock. Null: not to be evaluated.
   */
  private async reserveAttempt(id: string): Promise<number | null> {
    return inTransaction(
      this.db,
      async (trx) => {
        const now = this.clock.nowIso();
        const counted = await trx(USERS_TABLE)
          .where({ id })
          .where((b) => void b.whereNull('locked_until').orWhere('locked_until', '<=', now))
          .where('failed_attempts', '<', MAX_FAILED_ATTEMPTS)
          .increment('failed_attempts', 1);
        if (!counted) return null;
        const row = await trx(USERS_TABLE).where({ id }).first<{ failed_attempts: number }>('failed_attempts');
        return Number(row.failed_attempts);
      },
      // The update waits for the row lock and re-reads it (PostgreSQL READ COMMITTED): parallel attempts queue
      // instead of failing serialization, and each reads its own count.
      { isolation: 'read committed' },
    );
  }

  /** Locks the account for LOCKOUT_MS unless it already is; returns when the lock ends. Audited once per lock. */
  private async lock(id: string, attempts: number): Promise<string> {
    const now = this.clock.nowIso();
    const until = new Date(this.clock.now() + LOCKOUT_MS).toISOString();
    const locked = await this.db(USERS_TABLE)
      .where({ id })
      .where((b) => void b.whereNull('locked_until').orWhere('locked_until', '<=', now))
      .update({ failed_attempts: 0, locked_until: until });
    if (locked) await this.audit.append(this.db, { actorId: id, action: 'auth.lockout', outcome: 'ok', details: { attempts } });
    return locked ? until : ((await this.counters(id)).lockedUntil ?? until);
  }
}

function lockedOut(until: string, now: number): AppError {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now) / 60_000));
  return new AppError(
    'LOCKED_OUT',
    `Too many failed attempts: this account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}. Try again later or ask IT to unlock it.`,
  );
}
