import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../platform/clock.std.ts';
import { blindIndex } from '../../platform/crypto/envelope.node.ts';
import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import { domainWrapper, type DataKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Role } from '../../platform/ipc/roles.std.ts';
import { asBuffer, type Db, type Queryable } from '../../platform/store/database.node.ts';
import type { AuditSink } from '../../platform/audit/auditSink.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { countRows } from '../../platform/store/queries.node.ts';
import type { Account } from './accounts.contract.std.ts';
import type { AccountSessionState, StaffAccounts, StaffDirectory } from './accounts.port.node.ts';
import { passwordProblem } from './passwordRules.std.ts';
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
}

export interface User extends Account {
  passwordHash: string;
  failedAttempts: number;
  sessionEpoch: number;
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
  ) {
    this.cipher = new RecordCipher(USERS_TABLE);
  }

  /** Staff records belong to no customer: their data keys are wrapped by the current dek-wrap domain key. */
  private keys(): DataKeyWrapper {
    return domainWrapper(this.ring());
  }

  private index(username: string): string {
    return blindIndex(this.ring(), 'users.username', username.trim().toLowerCase());
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
      passwordHash: row.password_hash,
      failedAttempts: row.failed_attempts,
      sessionEpoch: Number(row.session_epoch ?? 0),
    };
  }

  async count(q: Queryable = this.db): Promise<number> {
    return countRows(q(USERS_TABLE));
  }

  async sessionState(q: Queryable, userId: string): Promise<AccountSessionState | null> {
    const row = await q<UserRow>(USERS_TABLE).where({ id: userId }).first('status', 'role', 'session_epoch');
    return row ? { status: row.status, role: row.role, sessionEpoch: Number(row.session_epoch ?? 0) } : null;
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

  async create(q: Queryable, input: { username: string; displayName: string; role: Role; password: string }): Promise<User> {
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw new AppError('INVALID_INPUT', `Password: ${problem}`);
    const usernameIndex = this.index(input.username);
    if (await q('users').where({ username_index: usernameIndex }).first()) {
      throw new AppError('CONFLICT', 'That username is already taken.');
    }
    const id = randomUUID();
    const sealed = this.cipher.sealNew(this.keys(), id, { profile: { username: input.username, displayName: input.displayName } });
    const now = this.clock.nowIso();
    await q('users').insert({
      id,
      username_index: usernameIndex,
      dek: sealed.dek,
      profile: sealed.columns.profile,
      role: input.role,
      status: 'active',
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
    // Its sessions on every workstation end at their next call (the router compares epochs).
    const endsSessions = patch.role !== undefined || patch.status === 'disabled';
    const query = q('users').where({ id });
    if (endsSessions) await query.update({ ...patch, session_epoch: q.raw('session_epoch + 1') });
    else await query.update(patch);
    return { user: await this.get(q, id), fields };
  }

  async resetPassword(q: Queryable, id: string, password: string): Promise<User> {
    const user = await this.get(q, id);
    const problem = passwordProblem(password, user.username);
    if (problem) throw new AppError('INVALID_INPUT', `Password: ${problem}`);
    await q('users').where({ id }).update({
      password_hash: await this.hasher.hash(password),
      failed_attempts: 0,
      locked_until: null,
      updated_at: this.clock.nowIso(),
      session_epoch: q.raw('session_epoch + 1'),
    });
    return this.get(q, id);
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
    const nameIndex = this.index(username);
    const row = await this.db<UserRow>('users').where({ username_index: nameIndex }).first();
    if (!row) {
      await this.hasher.burn(password);
      const { answer, reason, lockedNow } = await this.countUnknownFailure(nameIndex);
      await this.audit.append(this.db, { actorId: null, action: 'auth.login', outcome: 'failed', details: { reason } });
      if (lockedNow) await this.audit.append(this.db, { actorId: null, action: 'auth.lockout', outcome: 'ok', details: { attempts: MAX_FAILED_ATTEMPTS, unknownUser: true } });
      throw answer;
    }
    const user = await this.checkPassword(row.id, password, 'auth.login');
    await this.db('users').where({ id: user.id }).update({ last_login_at: this.clock.nowIso() });
    await this.audit.append(this.db, { actorId: user.id, action: 'auth.login', outcome: 'ok' });
    return { ...user, lastLoginAt: this.clock.nowIso() };
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
      await this.db(LOGIN_FAILURES).insert({ name_index: nameIndex, failed_attempts: 0, locked_until: null, last_failed_at: now }).onConflict('name_index').ignore();
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
   * Used by login, unlock and re-authentication alike, so none of them is a way around the lockout.
   */
  async checkPassword(userId: string, password: string, action: string): Promise<User> {
    const user = await this.get(this.db, userId);
    const fail = async (reason: string, code: AppError) => {
      await this.audit.append(this.db, { actorId: user.id, action, outcome: 'failed', details: { reason } });
      throw code;
    };
    if (user.lockedUntil) {
      await this.hasher.burn(password);
      return fail('locked_out', lockedOut(user.lockedUntil, this.clock.now()));
    }
    const valid = await this.hasher.verify(password, user.passwordHash);
    // Other attempts may have finished while this one was hashing: decide on the row as it is now, and count
    // a failure with one atomic increment, so parallel guesses cannot all start from the same counter.
    const current = await this.counters(user.id);
    if (current.lockedUntil) return fail('locked_out', lockedOut(current.lockedUntil, this.clock.now()));
    if (current.status !== 'active') return fail('disabled', INVALID_CREDENTIALS);
    if (!valid) {
      const now = this.clock.nowIso();
      const notLocked = (b: Knex.QueryBuilder) => void b.whereNull('locked_until').orWhere('locked_until', '<=', now);
      const counted = await this.db('users').where({ id: user.id }).where(notLocked).increment('failed_attempts', 1);
      const after = await this.counters(user.id);
      if (!counted || after.lockedUntil) return fail('bad_password', lockedOut(after.lockedUntil ?? now, this.clock.now()));
      if (after.failedAttempts >= MAX_FAILED_ATTEMPTS) {
        const lockedUntil = new Date(this.clock.now() + LOCKOUT_MS).toISOString();
        const locked = await this.db('users')
          .where({ id: user.id })
          .where('failed_attempts', '>=', MAX_FAILED_ATTEMPTS)
          .where(notLocked)
          .update({ failed_attempts: 0, locked_until: lockedUntil });
        if (locked) {
          await this.audit.append(this.db, { actorId: user.id, action: 'auth.lockout', outcome: 'ok', details: { attempts: after.failedAttempts } });
        }
        return fail('bad_password', lockedOut(lockedUntil, this.clock.now()));
      }
      return fail('bad_password', INVALID_CREDENTIALS);
    }
    if (current.failedAttempts > 0) await this.db('users').where({ id: user.id }).update({ failed_attempts: 0 });
    return user;
  }
}

function lockedOut(until: string, now: number): AppError {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now) / 60_000));
  return new AppError(
    'LOCKED_OUT',
    `Too many failed attempts: this account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}. Try again later or ask IT to unlock it.`,
  );
}
