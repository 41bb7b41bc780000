import { writeFile } from 'node:fs/promises';
import { AppError } from '../ipc/errors.std.ts';

/** What the user is asked to save: a suggested file name and the one file type offered. */
export interface SaveRequest {
  /** The window asking: the dialog is modal to it. */
  senderId: string;
  suggestedName: string;
  filter: { name: string; extensions: readonly string[] };
}

/**
 * Asks the user where to save a file. Electron shows the native save dialog (main/app/fileSaver.main.ts); tests
 * and the E2E harness choose a path in a test directory. Only the path is chosen here: the caller writes the
 * bytes itself, straight to that path, so no copy lands anywhere else.
 */
export interface FileSaver {
  /** The absolute path the user chose, or null when they cancelled. */
  choosePath(request: SaveRequest): Promise<string | null>;
  /** A folder the user chose (Electron: the open dialog for folders), or null when they cancelled. */
  chooseFolder?(request: { senderId: string; title: string }): Promise<string | null>;
}

/** Where no window can show a dialog (plain Node without a saver): saving is refused, nothing is written. */
export const noFileSaver: FileSaver = {
  choosePath() {
    return Promise.reject(new AppError('UNAVAILABLE', 'Saving files is not available here: use the console window.'));
  },
  chooseFolder() {
    return Promise.reject(new AppError('UNAVAILABLE', 'Choosing a folder is not available here: use the console window.'));
  },
};

/** Writes the file at the chosen path only, readable by this user alone (it holds personal data). */
export async function writeChosenFile(path: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path, bytes, { mode: 0o600 });
}
