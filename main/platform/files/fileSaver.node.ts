import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../ipc/errors.std.ts';

/**
 * "Save where the user chooses": the one way a feature asks for a destination file. Electron shows the save
 * dialog on the calling window (main/app/fileSaver.main.ts); tests and the E2E harness write into a directory.
 * Features write the file themselves (streaming, for 100k-row exports) and never log the path's contents.
 */
export interface SaveTarget {
  /** The calling window (Caller.senderId): the dialog is attached to it. */
  senderId: string;
  /** File name offered ("privacy-policy-v2.pdf"); never holds personal data. */
  suggestedName: string;
  /** For the dialog's type filter: label and extensions without dots. */
  filter: { name: string; extensions: readonly string[] };
}

export interface FileSaver {
  /** The path the user chose, or null when they cancelled. */
  choosePath(target: SaveTarget): Promise<string | null>;
}

/** Writes every file into `dir` under its suggested name (tests, E2E harness). */
export function directoryFileSaver(dir: string): FileSaver {
  return {
    async choosePath(target) {
      mkdirSync(dir, { recursive: true });
      return join(dir, basename(target.suggestedName));
    },
  };
}

/** Where no window can show a dialog (a core opened without one): exports are refused with a clear message. */
export const noFileSaver: FileSaver = {
  async choosePath() {
    throw new AppError('UNAVAILABLE', 'Saving files is not available here.');
  },
};
