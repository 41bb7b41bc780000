// What electron-builder packs into app.asar (the `files` of electron-builder.yml plus the production dependencies
// from node_modules), checked against what the bundled main process loads at run time. The Electron binary cannot
// be downloaded here, so the packer is not run: its rule (package.json `dependencies`, transitively, never
// `devDependencies`) is walked by hand over node_modules.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { before, test } from 'node:test';
import * as esbuild from 'esbuild';
import { MAIN_BUILD, MAIN_EXTERNALS } from '../../scripts/buildConfig.mjs';

const REPO = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const minimatch = require('minimatch') as (path: string, pattern: string, options?: { dot?: boolean }) => boolean;

interface PackageJson {
  name: string;
  main?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}
interface BuilderConfig {
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  linux: { files?: string[] };
  win: { files?: string[] };
  mac: { files?: string[] };
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const pkg = readJson<PackageJson>(join(REPO, 'package.json'));
const builder = yaml.load(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const productionDeps = Object.keys(pkg.dependencies ?? {});
const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));
const toPosix = (path: string) => path.split(sep).join('/');

/** Node's lookup: `<dir>/node_modules/<name>`, then each parent's, up to the project's own node_modules. */
function resolvePackageDir(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === REPO || dirname(dir) === dir) return null;
  }
}

/** Every package directory electron-builder would copy: production dependencies, transitively, as installed. */
function productionClosure(): Map<string, string> {
  const packed = new Map<string, string>(); // directory → package name
  const visit = (name: string, fromDir: string, optional: boolean) => {
    const dir = resolvePackageDir(name, fromDir);
    if (!dir) {
      assert.ok(optional, `production dependency ${name} (needed from ${relative(REPO, fromDir) || 'the app'}) is not installed`);
      return;
    }
    if (packed.has(dir)) return;
    packed.set(dir, name);
    const manifest = readJson<PackageJson>(join(dir, 'package.json'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, dir, true);
    // Required peers are installed for production too; optional ones (types, alternative engines) are not.
    for (const dep of Object.keys(manifest.peerDependencies ?? {})) if (!manifest.peerDependenciesMeta?.[dep]?.optional) visit(dep, dir, true);
  };
  for (const dep of productionDeps) visit(dep, REPO, false);
  return packed;
}

function filesUnder(dir: string, accept: (file: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(path, accept, out);
    else if (entry.isFile() && accept(path)) out.push(path);
  }
  return out;
}

/** A native addon: compiled for one Node/Electron ABI, loaded from a real file (never from inside the asar). */
const isNative = (dir: string) => existsSync(join(dir, 'binding.gyp')) || filesUnder(dir, (f) => f.endsWith('.node')).length > 0;

/** Code that finds files beside itself (`__dirname + …`, `new URL('./…', import.meta.url)`) breaks once bundled. */
const LOCATES_FILES_BESIDE_ITSELF = /new URL\(\s*['"`]\.{0,2}\/|__dirname\s*\+|(join|resolve)\(\s*__dirname/;

/**
 * Bundled code that does locate files beside itself, but only on a path the app never takes. pino's transports
 * start a worker thread from pino's own files; the logger writes in-thread through pino-roll instead (checked below).
 */
const NEVER_RUN_IN_BUNDLE: Record<string, string> = { pino: 'lib/transport.js' };

/** The package's own files esbuild would pull into dist/main/index.js (its own dependencies left out). */
async function ownBundledFiles(dep: string): Promise<string[]> {
  const result = await esbuild.build({
    stdin: { contents: `import '${dep}';`, resolveDir: REPO },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'only-this-package',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => (packageName(args.path) === dep ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  return Object.keys(result.metafile.inputs).map((file) => join(REPO, file));
}

/**
 * Optional drivers the external packages load by name for a configuration the app may not use (knex's other
 * dialects, pg's native binding): they stay external so a bundle never tries to inline them, and need not be
 * installed. Found as the optional peers of each external dependency and the require() calls of knex's dialects.
 */
function optionalDriversOfExternals(): Set<string> {
  const drivers = new Set<string>();
  for (const external of MAIN_EXTERNALS.filter((name) => productionDeps.includes(name))) {
    const manifest = readJson<PackageJson>(join(resolvePackageDir(external, REPO)!, 'package.json'));
    for (const [peer, meta] of Object.entries(manifest.peerDependenciesMeta ?? {})) if (meta.optional) drivers.add(peer);
  }
  const knexDir = resolvePackageDir('knex', REPO)!;
  const own = new Set(Object.keys(readJson<PackageJson>(join(knexDir, 'package.json')).dependencies ?? {}));
  for (const file of filesUnder(join(knexDir, 'lib', 'dialects'), (f) => f.endsWith('.js'))) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/require\('([^'.][^']*)'\)/g)) {
      const name = packageName(specifier!);
      if (!isBuiltin(name) && !own.has(name)) drivers.add(name);
    }
  }
  return drivers;
}

let closure: Map<string, string>;
let packedNames: Set<string>;
let bundle: esbuild.Metafile;
before(async () => {
  closure = productionClosure();
  packedNames = new Set(closure.values());
  const built = await esbuild.build({ ...MAIN_BUILD, outfile: join(REPO, 'dist', 'main', 'index.js'), write: false, metafile: true, logLevel: 'silent' });
  bundle = built.metafile;
});

/**
 * What the packaged main process loads from node_modules at run time: the bundle's external imports, literal
 * require()/import() calls in main's sources (esbuild leaves `require('keytar')` to run time), and the knex driver
 * of each database engine the app supports.
 */
function loadedAtRunTime(): Set<string> {
  const loaded = new Set<string>();
  for (const output of Object.values(bundle.outputs)) {
    for (const imported of output.imports) if (imported.external && !isBuiltin(imported.path)) loaded.add(packageName(imported.path));
  }
  for (const file of filesUnder(join(REPO, 'main'), (f) => f.endsWith('.ts'))) {
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/(?<!typeof )\b(?:require|import)\(\s*'([^'.][^']*)'\s*\)/g)) {
      if (!isBuiltin(specifier!)) loaded.add(packageName(specifier!));
    }
  }
  const databaseSource = readFileSync(join(REPO, 'main', 'platform', 'store', 'database.node.ts'), 'utf8');
  for (const [client, driver] of [['sqlite3', 'sqlite3'], ['pg', 'pg']] as const) {
    assert.match(databaseSource, new RegExp(`client: '${client}'`), `the app opens knex with client ${client}`);
    loaded.add(driver);
  }
  return loaded;
}

test('the packed files hold the built app: package.json, its main entry and the preload and renderer builds', () => {
  assert.equal(builder.asar, true);
  assert.deepEqual(builder.files.filter((pattern) => !pattern.startsWith('!')), ['dist/**', 'package.json']);
  for (const entry of [pkg.main!, 'dist/preload/preload.cjs', 'dist/renderer/index.html']) {
    assert.ok(builder.files.some((pattern) => minimatch(entry, pattern)), `${entry} is packed`);
  }
  assert.ok(!builder.files.some((pattern) => !pattern.startsWith('!') && (minimatch('main/core.node.ts', pattern) || minimatch('test/unit/x.test.ts', pattern))), 'no sources or tests');
});

test('everything the main process loads at run time is a production dependency that is packed', () => {
  const loaded = loadedAtRunTime();
  for (const name of ['knex', 'keytar', 'sqlite3', 'sodium-native', 'pg']) assert.ok(loaded.has(name), `${name} is found among the run-time loads`);
  for (const name of loaded) {
    if (name === 'electron') continue; // the runtime itself, never packed
    assert.ok(productionDeps.includes(name), `${name} is loaded at run time, so it must be in package.json dependencies`);
    assert.ok(packedNames.has(name), `${name} is packed`);
    assert.ok(MAIN_EXTERNALS.includes(name), `${name} is loaded from node_modules, so it must be in MAIN_EXTERNALS (scripts/buildConfig.mjs)`);
  }
});

test('MAIN_EXTERNALS holds exactly the packages that cannot be bundled: native, locating files beside themselves, or optional drivers', async () => {
  const drivers = optionalDriversOfExternals();
  const mustStayExternal = new Set<string>();
  for (const dep of productionDeps) {
    const dir = resolvePackageDir(dep, REPO)!;
    if (isNative(dir)) {
      mustStayExternal.add(dep);
      continue;
    }
    const real = realpathSync(dir);
    const own = (await ownBundledFiles(dep)).filter((file) => file.startsWith(real + sep));
    const locating = own.filter((file) => LOCATES_FILES_BESIDE_ITSELF.test(readFileSync(file, 'utf8')));
    const tolerated = NEVER_RUN_IN_BUNDLE[dep];
    if (locating.some((file) => toPosix(relative(real, file)) !== tolerated)) mustStayExternal.add(dep);
  }
  for (const dep of mustStayExternal) assert.ok(MAIN_EXTERNALS.includes(dep), `${dep} cannot be bundled: add it to MAIN_EXTERNALS`);
  for (const external of MAIN_EXTERNALS) {
    if (external === 'electron' || mustStayExternal.has(external)) continue;
    // knex and pg require their drivers themselves, by name, from node_modules: a bundled copy would not be found.
    assert.ok(drivers.has(external), `${external} is in MAIN_EXTERNALS but is neither an unbundlable production dependency nor an optional driver of one`);
    if (!productionDeps.includes(external)) assert.ok(!packedNames.has(external), `${external} is an unused driver and must not be packed`);
  }
  // Sanity: the detection sees what is known about these packages.
  for (const dep of ['keytar', 'sqlite3', 'sodium-native', 'pdfkit', 'knex']) assert.ok(mustStayExternal.has(dep), `${dep} is detected as unbundlable`);
});

test('pino transports, the one tolerated beside-file lookup in the bundle, are never used by the logger', () => {
  const logger = readFileSync(join(REPO, 'main', 'platform', 'log', 'logger.node.ts'), 'utf8');
  assert.doesNotMatch(logger, /\.transport\(|transport:/);
  assert.match(logger, /from 'pino-roll'/);
});

test('native addons are unpacked beside the asar, whole', () => {
  const natives = [...closure].filter(([dir]) => isNative(dir));
  assert.deepEqual(natives.map(([, name]) => name).sort(), ['keytar', 'sodium-native', 'sqlite3']);
  for (const [dir, name] of natives) {
    const addons = filesUnder(dir, (f) => f.endsWith('.node'));
    assert.ok(addons.length > 0, `${name} has its compiled addon`);
    for (const addon of addons) {
      const inApp = toPosix(relative(REPO, addon));
      assert.ok(builder.asarUnpack.some((pattern) => minimatch(inApp, pattern, { dot: true })), `${inApp} is unpacked`);
    }
    // Its JS finds the addon by relative path (bindings, node-gyp-build), so the whole package sits outside.
    assert.ok(builder.asarUnpack.includes(`node_modules/${name}/**`), `node_modules/${name}/** is unpacked`);
  }
});

test("each installer packs its own OS's sodium-native addons and no other platform's", () => {
  const dir = resolvePackageDir('sodium-native', REPO)!;
  const addons = filesUnder(dir, (f) => /prebuilds/.test(f)).map((f) => toPosix(relative(REPO, f)));
  const own = { linux: 'linux', win: 'win32', mac: 'darwin' } as const;
  for (const os of ['linux', 'win', 'mac'] as const) {
    const exclusions = [...builder.files, ...(builder[os].files ?? [])].filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const packed = addons.filter((file) => !exclusions.some((pattern) => minimatch(file, pattern)));
    assert.ok(packed.includes(`node_modules/sodium-native/prebuilds/${own[os]}-x64/sodium-native.node`), `${os} keeps its x64 addon`);
    assert.ok(packed.includes(`node_modules/sodium-native/prebuilds/${own[os]}-arm64/sodium-native.node`), `${os} keeps its arm64 addon`);
    for (const file of packed) {
      assert.match(file, new RegExp(`/prebuilds/${own[os]}-[a-z0-9]+/sodium-native\\.node$`), `${os} packs only its own addons, not ${file}`);
    }
  }
});

test('no development dependency is packed', () => {
  const devOnly = Object.keys(pkg.devDependencies ?? {});
  assert.ok(devOnly.includes('electron') && devOnly.includes('electron-builder'));
  for (const dev of devOnly) assert.ok(!packedNames.has(dev), `${dev} is a devDependency and must not ship`);
  for (const dep of productionDeps) assert.ok(!devOnly.includes(dep), `${dep} is listed as both`);
  // The packed tree is modest: a runaway dependency shows up here.
  const bytes = [...closure.keys()].reduce((sum, dir) => sum + filesUnder(dir, () => true).reduce((s, f) => s + statSync(f).size, 0), 0);
  assert.ok(bytes < 400 * 1024 * 1024, `packed node_modules: ${Math.round(bytes / 1024 / 1024)} MB`);
});
