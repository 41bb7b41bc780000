// The packaging and release configuration, checked without the Electron binary (which cannot be downloaded here):
// electron-builder.yml against electron-builder's own JSON schema, the fuses, the macOS entitlements, and the
// release workflow's essential steps, permissions and secrets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';

const REPO = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const plist = require('plist') as { parse(xml: string): unknown };
const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, string | number> };

const read = (file: string) => readFileSync(join(REPO, file), 'utf8');
type Config = Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  win: Record<string, unknown> & { target: string[]; signExts: string[] };
  mac: Record<string, unknown> & { target: string[] };
  linux: { target: string[] };
  msi: Record<string, unknown>;
};
const builderText = read('electron-builder.yml');
const config = yaml.load(builderText) as Config;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { matrix: { os: string[] } };
  env?: Record<string, string>;
  steps: Step[];
}
const workflowText = read('.github/workflows/release.yml');
const workflow = yaml.load(workflowText) as { on: unknown; permissions: Record<string, string>; env?: Record<string, string>; jobs: Record<string, Job> };

/** Literal secrets: private keys, certificates, and long base64 or hex runs (a .pfx, a token, a password hash). */
const SECRET_LITERAL = /-----BEGIN|MII[A-Za-z0-9+/]{20}|[A-Za-z0-9+/]{40,}={0,2}|\b[0-9a-f]{40,}\b|ghp_|github_pat_|AKIA[0-9A-Z]{16}/;

test('electron-builder.yml validates against the installed electron-builder schema', () => {
  const schema = JSON.parse(read('node_modules/app-builder-lib/scheme.json')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // electron-builder's own marker for options that take a function (hooks); none is used here.
  ajv.addKeyword({ keyword: 'typeof' });
  const validate = ajv.compile(schema);
  assert.equal(validate(config), true, JSON.stringify(validate.errors, null, 2));
  // The validator is really checking: a misspelt fuse or an unknown key is refused.
  assert.equal(validate({ ...config, electronFuses: { ...config.electronFuses, runAsnode: false } }), false);
  assert.equal(validate({ ...config, signingPassword: 'x' }), false);
});

test('fuses: no Node mode, no NODE_OPTIONS or inspector, encrypted cookies, asar-only with integrity, no file:// extras', () => {
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  });
  // Every fuse Electron has is decided: a new one in @electron/fuses fails this test until it is reviewed.
  const LEFT_AT_DEFAULT: Record<string, string> = { LoadBrowserProcessSpecificV8Snapshot: 'the app ships no separate V8 snapshot' };
  const fuseNames = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
  const configured = Object.keys(config.electronFuses).map((key) => key[0]!.toUpperCase() + key.slice(1));
  for (const key of configured) assert.ok(fuseNames.includes(key), `${key} is a fuse @electron/fuses knows`);
  assert.deepEqual([...configured, ...Object.keys(LEFT_AT_DEFAULT)].sort(), [...fuseNames].sort());
  assert.equal(config.asar, true, 'the asar-only fuses need an asar');
});

test('installers: NSIS and MSI (per machine, stable upgrade code), dmg and zip, AppImage and deb', () => {
  assert.deepEqual(config.win.target, ['nsis', 'msi']);
  assert.equal(config.msi.perMachine, true);
  assert.match(String(config.msi.upgradeCode), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal((config.nsis as Record<string, unknown>).perMachine, true);
  assert.deepEqual(config.mac.target, ['dmg', 'zip']);
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
});

test('Windows signing covers native addons and DLLs; macOS uses the hardened runtime and notarises', () => {
  assert.ok(config.win.signExts.includes('.node') && config.win.signExts.includes('.dll'));
  const signtool = config.win.signtoolOptions as Record<string, unknown>;
  assert.deepEqual(signtool.signingHashAlgorithms, ['sha256'], 'no SHA-1 signatures');
  assert.match(String(signtool.rfc3161TimeStampServer), /^http:\/\/timestamp\./, 'timestamped, so signatures outlive the certificate');
  assert.equal(config.mac.hardenedRuntime, true);
  assert.equal(config.mac.notarize, true);
  assert.equal(config.mac.entitlements, 'build/entitlements.mac.plist');
  assert.equal(config.mac.entitlementsInherit, 'build/entitlements.mac.plist');
});

test('entitlements: JIT for V8 and nothing else', () => {
  const entitlements = plist.parse(read('build/entitlements.mac.plist'));
  assert.deepEqual(entitlements, { 'com.apple.security.cs.allow-jit': true });
  // Spelled out, so a future edit meets this list: each would widen what a compromised app could do.
  for (const forbidden of [
    'com.apple.security.cs.allow-unsigned-executable-memory',
    'com.apple.security.cs.disable-library-validation',
    'com.apple.security.cs.allow-dyld-environment-variables',
    'com.apple.security.cs.disable-executable-page-protection',
    'com.apple.security.cs.debugger',
    'com.apple.security.get-task-allow',
    'com.apple.security.device.camera',
    'com.apple.security.device.audio-input',
    'com.apple.security.personal-information.location',
    'com.apple.security.personal-information.addressbook',
    'com.apple.security.automation.apple-events',
  ]) {
    assert.ok(!(forbidden in (entitlements as object)), forbidden);
  }
});

test('no signing secret is written in the builder config: credentials come from the environment', () => {
  const keys: string[] = [];
  const walk = (value: unknown) => {
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        keys.push(key);
        walk(inner);
      }
    }
  };
  walk(config);
  for (const key of ['cscLink', 'cscKeyPassword', 'cscInstallerLink', 'cscInstallerKeyPassword', 'certificateFile', 'certificatePassword', 'certificateSha1', 'azureSignOptions', 'identity']) {
    assert.ok(!keys.includes(key), `${key} comes from the environment (CSC_LINK, WIN_CSC_LINK, AZURE_*), never the file`);
  }
  const values = builderText.split('\n').filter((line) => !line.trim().startsWith('#'));
  for (const line of values) assert.doesNotMatch(line, SECRET_LITERAL, line);
  assert.doesNotMatch(builderText, /password\s*:/i);
});

test('the release workflow builds on Windows, macOS and Linux after the tests, then checksums, signs and publishes', () => {
  const { test: tests, build, publish } = workflow.jobs;
  assert.ok(tests && build && publish, 'jobs test, build, publish');
  assert.deepEqual(Object.keys(workflow.jobs).sort(), ['build', 'publish', 'test']);
  assert.ok(tests.steps.some((step) => /^(xvfb-run -a )?npm test$/.test(step.run ?? '')), 'the full suite runs');
  assert.ok(tests.steps.some((step) => step.run === 'npm run lint') && tests.steps.some((step) => step.run === 'npm run typecheck'));
  assert.equal(tests['runs-on'], 'ubuntu-latest');
  assert.equal(build.needs, 'test');
  assert.deepEqual(build.strategy?.matrix.os, ['windows-latest', 'macos-latest', 'ubuntu-latest']);
  const buildRuns = build.steps.map((step) => step.run ?? '').join('\n');
  assert.match(buildRuns, /npm ci/);
  assert.match(buildRuns, /electron-builder[^\n]*--win[^\n]*forceCodeSigning=true/, 'Windows refuses to build unsigned');
  assert.match(buildRuns, /electron-builder[^\n]*--mac[^\n]*forceCodeSigning=true/, 'macOS refuses to build unsigned');
  assert.match(buildRuns, /azureSignOptions/, 'Azure Trusted Signing is available');
  assert.match(buildRuns, /signtool[^\n]*verify \/pa \/v/);
  assert.match(buildRuns, /codesign --verify --deep --strict/);
  assert.match(buildRuns, /spctl -a -t exec/);
  assert.match(buildRuns, /stapler validate/);
  assert.ok(build.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@')));

  assert.equal(publish.needs, 'build');
  const publishRuns = publish.steps.map((step) => step.run ?? '').join('\n');
  assert.match(publishRuns, /sha256sum[^\n]*> SHA256SUMS/);
  assert.match(publishRuns, /gpg [^\n]*--detach-sign --armor --output SHA256SUMS\.asc SHA256SUMS/);
  assert.match(publishRuns, /verify-release\.mjs/, 'the published files are verified as IT will verify them');
  assert.match(publishRuns, /gh release create/);
  const order = ['SHA256SUMS', 'SHA256SUMS.asc', 'verify-release', 'gh release create'].map((marker) => publishRuns.indexOf(marker));
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'checksums, then signature, then verification, then publishing');
});

test('the release workflow holds no secret literal, passes secrets only to the steps that use them, with minimal permissions', () => {
  assert.deepEqual(workflow.permissions, { contents: 'read' }, 'read-only by default');
  for (const [name, job] of Object.entries(workflow.jobs)) {
    assert.deepEqual(job.permissions ?? {}, name === 'publish' ? { contents: 'write' } : {}, `${name}: only publishing writes`);
    assert.doesNotMatch(JSON.stringify(job.env ?? {}), /secrets\./, `${name}: no secret in a job-wide environment`);
    for (const step of job.steps) {
      // A secret pasted into a command line could be echoed or injected; it goes through the step's env instead.
      assert.doesNotMatch(step.run ?? '', /\$\{\{\s*secrets\./, `${name}/${step.name ?? step.uses}: secrets via env only`);
      for (const [key, value] of Object.entries(step.env ?? {})) {
        if (/KEY|SECRET|PASSWORD|CSC_LINK|TOKEN|AZURE_/.test(key)) {
          assert.match(value, /^\$\{\{ (secrets\.[A-Z0-9_]+|github\.token) \}\}$/, `${name}: ${key} comes from secrets`);
        }
      }
      if (step.uses?.startsWith('actions/checkout@')) assert.equal(step.with?.['persist-credentials'], false, 'checkout keeps no token');
      // Jobs holding signing secrets run only GitHub's own actions: no third party sees the environment.
      if (step.uses) assert.match(step.uses, /^actions\/[a-z-]+@v\d+$/, `${name}: ${step.uses}`);
    }
  }
  assert.doesNotMatch(JSON.stringify(workflow.env ?? {}), /secrets\./);
  const code = workflowText.split('\n').filter((line) => !line.trim().startsWith('#'));
  for (const line of code) assert.doesNotMatch(line, SECRET_LITERAL, line);
  // Signing material written to disk is removed by the same step.
  assert.match(workflowText, /rm -f "\$APPLE_API_KEY"/);
  assert.match(workflowText, /rm -rf "\$GNUPGHOME"/);
});
