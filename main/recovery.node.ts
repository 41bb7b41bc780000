import type { Core } from './core.contract.std.ts';
import { workstationChannels } from './features/workstation/workstation.contract.std.ts';
import { WorkstationService } from './features/workstation/workstation.node.ts';
import { AppError, type ApiResult } from './platform/ipc/errors.std.ts';
import { describeIssues } from './platform/ipc/validation.std.ts';
import type { SecretVault } from './platform/keychain/vault.std.ts';
import type { Logger } from './platform/log/logger.node.ts';
import type { SettingsStore } from './platform/settings/settings.node.ts';
import type { StartupError, StartupErrorCode } from './platform/startupError.std.ts';
import type { DatabaseConfig } from './platform/store/database.node.ts';

/** Refusals an enrolment package can fix: this workstation's keychain lacks the database's key, or holds another. */
export const ENROLABLE: readonly StartupErrorCode[] = ['KEY_MISSING', 'KEY_MISMATCH'];

export interface RecoveryOptions {
  /** Why openCore refused. */
  problem: StartupError;
  vault: SecretVault;
  settings: SettingsStore;
  dataDir: string;
  /** The database openCore was given; null when it could not even be configured (no password, bad settings). */
  database: DatabaseConfig | null;
  logger?: Logger;
  now?: () => Date;
  /** Called after a successful import: Electron relaunches the app, which then opens with the new key. */
  onEnrolled?: () => void;
}

/**
 * What the window talks to when the console could not open: the same `Core` shape, but only the recovery screen's
 * two channels, public (nobody can sign in without the database). Everything else is refused. Plain Node, so the
 * whole path is tested without Electron; main.main.ts only decides to use it and relaunches afterwards.
 */
export function openRecoveryCore(options: RecoveryOptions): Core {
  const service = new WorkstationService({ settings: options.settings, vault: options.vault, dataDir: options.dataDir, now: options.now ?? (() => new Date()) });
  const canEnrol = ENROLABLE.includes(options.problem.code) && options.database !== null;
  let enrolled = false;
  const fail = (code: 'UNTRUSTED_SENDER' | 'UNKNOWN_CHANNEL' | 'INVALID_INPUT' | 'NOT_AUTHENTICATED', message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

  return {
    async handle(caller, name, payload) {
      if (!caller.trusted) return fail('UNTRUSTED_SENDER', 'This request did not come from the app window.');
      if (name === 'workstation.recovery.status') {
        const parsed = workstationChannels[name].input.safeParse(payload);
        if (!parsed.success) return fail('INVALID_INPUT', describeIssues(parsed.error.issues));
        const problem = options.problem;
        return {
          ok: true,
          value: workstationChannels[name].output.parse({ mode: 'recovery', code: problem.code, message: problem.message, steps: [...problem.recovery], canEnrol: canEnrol && !enrolled }),
        };
      }
      if (name === 'workstation.recovery.enrol') {
        const parsed = workstationChannels[name].input.safeParse(payload);
        if (!parsed.success) return fail('INVALID_INPUT', describeIssues(parsed.error.issues));
        if (!canEnrol || !options.database) return { ok: false, error: { code: 'CONFLICT', message: 'An enrolment package cannot fix this problem. Follow the steps shown. Nothing was changed.' } };
        try {
          const result = await service.importEnrolment(parsed.data.packageText, parsed.data.passphrase, options.database, parsed.data.moreShares);
          enrolled = true;
          options.logger?.info('workstation.enrolled', { kekId: result.kekId });
          options.onEnrolled?.();
          return { ok: true, value: workstationChannels[name].output.parse(result) };
        } catch (error) {
          if (error instanceof AppError) {
            options.logger?.info('workstation.enrolment_refused', { code: error.code });
            return { ok: false, error: { code: error.code, message: error.message } };
          }
          options.logger?.error('workstation.enrolment_failed', error);
          return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong. The details are in the application log.' } };
        }
      }
      return fail('NOT_AUTHENTICATED', 'The console is not open. Follow the steps on the screen.');
    },
    onEvent: () => () => undefined,
    endSession: () => undefined,
    sweepIdle: () => undefined,
    async close() {
      await options.logger?.close();
    },
    paths: { dataDir: options.dataDir, database: '', logs: options.logger?.file ?? '', settings: options.settings.path },
  };
}
