#!/usr/bin/env node
// Checks downloaded installers before IT installs them (README, "Installing signed builds (IT)"):
//   1. SHA256SUMS carries a valid GPG signature (SHA256SUMS.asc) by the release key, whose fingerprint IT
//      compares with the one it has on file (or passes with --fingerprint, so the check is made here);
//   2. every installer's SHA-256 matches its line in SHA256SUMS;
//   3. then prints the operating system's own signature check for each installer (signtool, codesign + spctl).
// Usage: node scripts/verify-release.mjs [--dir <folder>] [--fingerprint <hex>] [--no-signature] [installer ...]
// Exit codes: 0 verified, 1 verification failed, 2 usage or unreadable input.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const SUMS = 'SHA256SUMS';
const SIGNATURE = 'SHA256SUMS.asc';
const USAGE = 'Usage: node scripts/verify-release.mjs [--dir <folder>] [--fingerprint <hex>] [--no-signature] [installer ...]';

class UsageError extends Error {}

function parseArgs(argv) {
  const options = { dir: process.cwd(), fingerprint: null, signature: true, files: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--dir' || arg === '--fingerprint') {
      const value = argv[i + 1];
      if (!value) throw new UsageError(`${arg} needs a value`);
      i += 1;
      if (arg === '--dir') options.dir = path.resolve(value);
      else options.fingerprint = value.replace(/\s+/g, '').toUpperCase();
    } else if (arg === '--no-signature') options.signature = false;
    else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}`);
    else options.files.push(arg);
  }
  if (options.fingerprint !== null && !/^[0-9A-F]{40}$|^[0-9A-F]{64}$/.test(options.fingerprint)) {
    throw new UsageError('--fingerprint takes the key fingerprint: 40 hexadecimal digits (or 64 for a v5 key)');
  }
  return options;
}

/** `sha256sum` output: "<64 hex>  <name>" (text mode) or "<64 hex> *<name>" (binary mode), one per line. */
function parseSums(text) {
  const entries = new Map();
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!match) throw new UsageError(`${SUMS} line ${index + 1} is not "<sha256>  <file name>"`);
    const name = match[2];
    if (name !== path.basename(name) || name === '.' || name === '..') throw new UsageError(`${SUMS} line ${index + 1} names a path, not a file name`);
    if (entries.has(name)) throw new UsageError(`${SUMS} lists ${name} twice`);
    entries.set(name, match[1].toLowerCase());
  });
  if (entries.size === 0) throw new UsageError(`${SUMS} lists no files`);
  return entries;
}

function sha256(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** gpg's machine-readable status lines say whether the signature is good and by which key. */
function verifySignature(dir, expectedFingerprint) {
  const probe = spawnSync('gpg', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return {
      ok: false,
      lines: [
        'gpg (GnuPG) was not found, so the signature of SHA256SUMS cannot be checked.',
        'Install it (Windows: Gpg4win, macOS: brew install gnupg or GPG Suite, Debian/Ubuntu: apt-get install gnupg),',
        'import the release key IT keeps on file, and run this again. Only skip the signature (--no-signature) when',
        'SHA256SUMS came to you by a channel you already trust.',
      ],
    };
  }
  if (!existsSync(path.join(dir, SIGNATURE))) {
    return { ok: false, lines: [`${SIGNATURE} is missing: download it from the same release as ${SUMS}.`] };
  }
  const result = spawnSync('gpg', ['--batch', '--status-fd', '1', '--verify', SIGNATURE, SUMS], { cwd: dir, encoding: 'utf8' });
  const status = result.stdout ?? '';
  const valid = /^\[GNUPG:\] VALIDSIG ([0-9A-F]+) /m.exec(status);
  if (result.status !== 0 || !valid || !/^\[GNUPG:\] GOODSIG /m.test(status)) {
    const noKey = /^\[GNUPG:\] (NO_PUBKEY|ERRSIG) /m.test(status);
    return {
      ok: false,
      lines: noKey
        ? [`The release key that signed ${SUMS} is not in your keyring: import the key IT keeps on file (gpg --import), then run this again.`]
        : [`BAD SIGNATURE: ${SIGNATURE} does not match ${SUMS}. The file was changed after it was signed; do not install.`],
    };
  }
  const fingerprint = valid[1];
  if (expectedFingerprint && fingerprint !== expectedFingerprint) {
    return { ok: false, lines: [`The signature is valid but made by key ${fingerprint}, not the expected ${expectedFingerprint}; do not install.`] };
  }
  return {
    ok: true,
    lines: [
      `Signature OK: ${SUMS} signed by key ${fingerprint}.`,
      expectedFingerprint ? 'That is the expected release key.' : 'Compare this fingerprint with the release key fingerprint IT has on file (or pass --fingerprint).',
    ],
  };
}

/** The operating system's own check, which also proves who built the installer. */
function nextStep(name) {
  const quoted = `"${name}"`;
  if (/\.(exe|msi)$/i.test(name)) {
    return [
      `Windows: signtool verify /pa /v ${quoted}`,
      `  (or in PowerShell: Get-AuthenticodeSignature ${quoted} | Format-List  — Status must be Valid, signer iTechno)`,
    ];
  }
  if (/\.dmg$/i.test(name) || (/\.zip$/i.test(name) && /-mac-/i.test(name))) {
    return [
      `macOS: open ${quoted}, then on the app inside:`,
      '  codesign --verify --deep --strict --verbose=2 "iTechno Privacy Console.app"',
      '  spctl -a -t exec -vv "iTechno Privacy Console.app"   (must say: accepted, source=Notarized Developer ID)',
      '  xcrun stapler validate "iTechno Privacy Console.app"',
    ];
  }
  if (/\.(appimage|deb)$/i.test(name)) {
    return [`Linux: AppImage and deb are covered by the GPG-signed ${SUMS} checked above; install with: sudo apt install ./${name} (deb)`];
  }
  return [];
}

async function main(argv) {
  const options = parseArgs(argv);
  const sumsFile = path.join(options.dir, SUMS);
  if (!existsSync(sumsFile)) throw new UsageError(`${SUMS} not found in ${options.dir}: download it from the same release as the installers.`);
  const entries = parseSums(readFileSync(sumsFile, 'utf8'));
  let failed = false;
  const say = (line) => process.stdout.write(`${line}\n`);

  if (options.signature) {
    const signature = verifySignature(options.dir, options.fingerprint);
    signature.lines.forEach(say);
    if (!signature.ok) failed = true;
  } else {
    say(`WARNING: the signature of ${SUMS} was not checked (--no-signature); the checksums prove only that the files match that list.`);
  }

  // Installers named on the command line must all be listed and present; with none named, every listed file
  // that was downloaded is checked (at least one must be).
  const names = options.files.length > 0 ? options.files.map((file) => path.basename(file)) : [...entries.keys()].filter((name) => existsSync(path.join(options.dir, name)));
  if (names.length === 0) {
    say(`None of the files listed in ${SUMS} is in ${options.dir}.`);
    failed = true;
  }
  const verified = [];
  for (const name of names) {
    const expected = entries.get(name);
    const file = path.join(options.dir, name);
    if (!expected) {
      say(`NOT LISTED  ${name}: ${SUMS} has no checksum for it; do not install.`);
      failed = true;
    } else if (!existsSync(file)) {
      say(`MISSING     ${name}: not found in ${options.dir}.`);
      failed = true;
    } else if ((await sha256(file)) !== expected) {
      say(`MISMATCH    ${name}: its SHA-256 differs from ${SUMS}; the download is damaged or altered, do not install.`);
      failed = true;
    } else {
      say(`OK          ${name}`);
      verified.push(name);
    }
  }

  if (failed) {
    say('Verification FAILED: do not install.');
    return 1;
  }
  say('Checksums and signature verified. Next, the operating system\'s own check:');
  for (const name of verified) nextStep(name).forEach(say);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof UsageError) {
      if (error.message) process.stderr.write(`${error.message}\n`);
      process.stderr.write(`${USAGE}\n`);
    } else {
      process.stderr.write(`verify-release: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exitCode = 2;
  },
);
