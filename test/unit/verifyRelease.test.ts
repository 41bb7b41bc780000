// scripts/verify-release.mjs, run as IT runs it, on checksum files this test writes itself (never by the script),
// signed with a throw-away GPG key in a temporary GNUPGHOME.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'verify-release.mjs');
const root = mkdtempSync(join(tmpdir(), 'itpc-verify-'));
const gnupgHome = join(root, 'gnupg');
after(() => rmSync(root, { recursive: true, force: true }));

const INSTALLERS: Record<string, string> = {
  'itechno-privacy-console-0.1.0-win-x64.exe': 'MZ fake windows installer',
  'itechno-privacy-console-0.1.0-win-x64.msi': 'fake msi for group policy',
  'itechno-privacy-console-0.1.0-mac-arm64.dmg': 'fake disk image',
  'itechno-privacy-console-0.1.0-linux-x86_64.AppImage': 'fake appimage',
  'itechno-privacy-console-0.1.0-linux-amd64.deb': 'fake deb',
};

const hasGpg = spawnSync('gpg', ['--version']).status === 0;
const gpg = (args: string[], input?: string) => {
  const result = spawnSync('gpg', ['--batch', '--homedir', gnupgHome, ...args], { encoding: 'utf8', input });
  assert.equal(result.status, 0, `gpg ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
let fingerprint = '';

before(() => {
  if (!hasGpg) return;
  mkdirSync(gnupgHome, { mode: 0o700 });
  gpg(['--passphrase', '', '--quick-generate-key', 'Release Test <release@example.invalid>', 'ed25519', 'sign', '1d']);
  fingerprint = /^fpr:+([0-9A-F]+):/m.exec(gpg(['--with-colons', '--list-keys']))![1]!;
});

/** A release folder as CI publishes it, with SHA256SUMS in sha256sum's format, written here. */
function release(name: string, options: { binaryMode?: boolean } = {}): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const lines = Object.entries(INSTALLERS).map(([file, content]) => {
    writeFileSync(join(dir, file), content);
    return `${createHash('sha256').update(content).digest('hex')} ${options.binaryMode ? '*' : ' '}${file}`;
  });
  writeFileSync(join(dir, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  return dir;
}

function sign(dir: string): void {
  gpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--armor', '--detach-sign', '--output', join(dir, 'SHA256SUMS.asc'), join(dir, 'SHA256SUMS')]);
}

function verify(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = { ...process.env, GNUPGHOME: gnupgHome }) {
  const result = spawnSync(process.execPath, [SCRIPT, '--dir', dir, ...args], { encoding: 'utf8', env });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('checksums that match pass, and the OS-specific next step is printed for each installer', () => {
  const dir = release('matching', { binaryMode: true });
  const { code, out } = verify(dir, ['--no-signature']);
  assert.equal(code, 0, out);
  for (const file of Object.keys(INSTALLERS)) assert.match(out, new RegExp(`OK +${file.replace(/\./g, '\\.')}`));
  assert.match(out, /WARNING: the signature of SHA256SUMS was not checked/);
  assert.match(out, /signtool verify \/pa \/v "itechno-privacy-console-0\.1\.0-win-x64\.exe"/);
  assert.match(out, /signtool verify \/pa \/v "itechno-privacy-console-0\.1\.0-win-x64\.msi"/);
  assert.match(out, /codesign --verify --deep --strict/);
  assert.match(out, /spctl -a -t exec -vv/);
  assert.match(out, /GPG-signed SHA256SUMS/);
});

test('an installer whose content changed fails, named, and nothing is called verified', () => {
  const dir = release('altered');
  appendFileSync(join(dir, 'itechno-privacy-console-0.1.0-win-x64.msi'), ' with a payload');
  const { code, out } = verify(dir, ['--no-signature']);
  assert.equal(code, 1);
  assert.match(out, /MISMATCH +itechno-privacy-console-0\.1\.0-win-x64\.msi/);
  assert.match(out, /OK +itechno-privacy-console-0\.1\.0-win-x64\.exe/, 'the others are still reported');
  assert.match(out, /Verification FAILED/);
  assert.doesNotMatch(out, /signtool|Next, the operating/);
});

test('a named installer that is missing, or not listed in SHA256SUMS, fails', () => {
  const dir = release('missing');
  rmSync(join(dir, 'itechno-privacy-console-0.1.0-mac-arm64.dmg'));
  const missing = verify(dir, ['--no-signature', 'itechno-privacy-console-0.1.0-mac-arm64.dmg']);
  assert.equal(missing.code, 1);
  assert.match(missing.out, /MISSING +itechno-privacy-console-0\.1\.0-mac-arm64\.dmg/);

  writeFileSync(join(dir, 'unlisted-setup.exe'), 'not from the release');
  const unlisted = verify(dir, ['--no-signature', 'unlisted-setup.exe']);
  assert.equal(unlisted.code, 1);
  assert.match(unlisted.out, /NOT LISTED +unlisted-setup\.exe/);

  // With nothing named, what was downloaded is checked and a file not downloaded is not an error.
  const downloaded = verify(dir, ['--no-signature']);
  assert.equal(downloaded.code, 0, downloaded.out);
  assert.doesNotMatch(downloaded.out, /mac-arm64\.dmg/);
});

test('a malformed checksum file, or one naming a path, is refused as unreadable input', () => {
  const dir = release('malformed');
  writeFileSync(join(dir, 'SHA256SUMS'), 'not a checksum line\n');
  const bad = verify(dir, ['--no-signature']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /SHA256SUMS line 1 is not/);
  writeFileSync(join(dir, 'SHA256SUMS'), `${'a'.repeat(64)}  ../etc/passwd\n`);
  assert.match(verify(dir, ['--no-signature']).err, /names a path/);
  const none = verify(join(root, 'no-such-release'), ['--no-signature']);
  assert.equal(none.code, 2);
  assert.match(none.err, /SHA256SUMS not found/);
});

test('without gpg the signature is not silently skipped: a clear message and a failure', () => {
  const dir = release('no-gpg');
  const nodeOnly = join(root, 'node-only-bin');
  mkdirSync(nodeOnly);
  const { code, out } = verify(dir, [], { PATH: nodeOnly, HOME: root });
  assert.equal(code, 1);
  assert.match(out, /gpg \(GnuPG\) was not found/);
  assert.match(out, /Verification FAILED/);
});

test('a valid signature by the expected key passes; a changed list, another key or no signature fail', { skip: !hasGpg && 'gpg is not installed (scripts/setup.sh installs gnupg)' }, () => {
  const dir = release('signed');
  sign(dir);
  const good = verify(dir, ['--fingerprint', fingerprint]);
  assert.equal(good.code, 0, good.out);
  assert.match(good.out, new RegExp(`Signature OK: SHA256SUMS signed by key ${fingerprint}`));
  assert.match(good.out, /That is the expected release key/);

  const unpinned = verify(dir);
  assert.equal(unpinned.code, 0);
  assert.match(unpinned.out, /Compare this fingerprint/);

  const wrongKey = verify(dir, ['--fingerprint', 'A'.repeat(40)]);
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.out, /not the expected A{40}/);

  // Someone swaps an installer and rewrites its line in SHA256SUMS: the checksums match, the signature does not.
  const tampered = release('tampered');
  sign(tampered);
  const swapped = 'itechno-privacy-console-0.1.0-win-x64.exe';
  writeFileSync(join(tampered, swapped), 'MZ malicious');
  const sums = Object.keys(INSTALLERS)
    .map((file) => `${createHash('sha256').update(file === swapped ? 'MZ malicious' : INSTALLERS[file]!).digest('hex')}  ${file}`)
    .join('\n');
  writeFileSync(join(tampered, 'SHA256SUMS'), `${sums}\n`);
  const forged = verify(tampered, ['--fingerprint', fingerprint]);
  assert.equal(forged.code, 1);
  assert.match(forged.out, /BAD SIGNATURE/);
  assert.match(forged.out, /Verification FAILED/);

  const unsigned = release('unsigned');
  const noAsc = verify(unsigned);
  assert.equal(noAsc.code, 1);
  assert.match(noAsc.out, /SHA256SUMS\.asc is missing/);

  const otherHome = mkdtempSync(join(root, 'empty-gnupg-'));
  const unknownKey = verify(dir, [], { ...process.env, GNUPGHOME: otherHome });
  assert.equal(unknownKey.code, 1);
  assert.match(unknownKey.out, /not in your keyring/);
});
