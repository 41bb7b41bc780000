import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file the app writes under its data dir: database, WAL/SHM, logs, settings. */
export function appFiles(dataDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  if (existsSync(dataDir)) walk(dataDir);
  return files;
}

/** Each seeded value that appears in any file, as UTF-8 or UTF-16LE, with the file it was found in. */
export function plaintextHits(files: string[], secrets: string[]): string[] {
  const hits: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const secret of secrets) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(secret, encoding))) hits.push(`${secret} (${encoding}) in ${file}`);
      }
    }
  }
  return hits;
}
