import { existsSync, mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

/** What a file is, for the save dialog's filter and the default extension. */
export const SAVE_FILE_TYPES = {
  csv: { label: 'CSV file', extension: 'csv' },
  json: { label: 'JSON file', extension: 'json' },
  pdf: { label: 'PDF document', extension: 'pdf' },
  age: { label: 'Encrypted file (age)', extension: 'age' },
} as const;
export type SaveFileType = keyof typeof SAVE_FILE_TYPES;

export interface SaveRequest {
  /** The window that asked: the dialog opens over it. */
  senderId: string;
  /** A name without personal data, e.g. "disclosure-2026-11-25-3f2a.csv". */
  suggestedName: string;
  type: SaveFileType;
}

/**
 * Where the user chooses to save a file the app produces (releases, register exports). Electron asks with the
 * system save dialog (main/app/fileSaver.main.ts); the test harness answers with a folder of its own. Returns the
 * chosen absolute path, or null when the user cancelled. Writing is the caller's, so it can hash what it wrote.
 */
export interface FileSaver {
  chooseDestination(request: SaveRequest): Promise<string | null>;
}

/** Saves into one folder under the suggested name (never overwriting): tests and the E2E harness. */
export function folderFileSaver(folder: string): FileSaver {
  return {
    async chooseDestination({ suggestedName }) {
      mkdirSync(folder, { recursive: true });
      const safe = basename(suggestedName);
      const ext = extname(safe);
      let candidate = join(folder, safe);
      for (let n = 2; existsSync(candidate); n += 1) candidate = join(folder, `${safe.slice(0, safe.length - ext.length)}-${n}${ext}`);
      return candidate;
    },
  };
}

/** Where no way to choose a destination was given (a bare Node core): saving is refused, never silently placed. */
export const NO_FILE_SAVER: FileSaver = {
  async chooseDestination() {
    return null;
  },
};
