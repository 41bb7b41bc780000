import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FileSaver, SaveRequest } from '../../main/platform/files/fileSaver.node.ts';

/**
 * The save dialog as tests drive it: "the user" picks the suggested name inside `dir`, or cancels. Every request
 * is recorded so a test can check what was offered (and that nothing was asked when it should not be).
 */
export interface TestFileSaver extends FileSaver {
  /** Where saved files land. */
  readonly dir: string;
  readonly requests: SaveRequest[];
  /** The paths chosen so far, in order. */
  readonly chosen: string[];
  /** The next answer: save (default) or cancel. */
  answer: 'save' | 'cancel';
  /** Where the next file goes instead of `dir` (a missing folder makes the write fail). */
  overrideDir: string | null;
}

export function directoryFileSaver(dir: string): TestFileSaver {
  const saver: TestFileSaver = {
    dir,
    requests: [],
    chosen: [],
    answer: 'save',
    overrideDir: null,
    choosePath(request) {
      saver.requests.push(request);
      if (saver.answer === 'cancel') return Promise.resolve(null);
      // The folder "the user" picks exists, as a dialog's would; an override is taken as it is.
      if (!saver.overrideDir) mkdirSync(dir, { recursive: true });
      const path = join(saver.overrideDir ?? dir, basename(request.suggestedName));
      saver.chosen.push(path);
      return Promise.resolve(path);
    },
    chooseFolder() {
      // "The user" picks the test folder (created, as a dialog's "New folder" would).
      if (saver.answer === 'cancel') return Promise.resolve(null);
      mkdirSync(dir, { recursive: true });
      return Promise.resolve(dir);
    },
  };
  return saver;
}
