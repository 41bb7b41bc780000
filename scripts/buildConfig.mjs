// How the main process is bundled: shared by scripts/build.mjs and test/unit/asarContents.test.ts, which checks
// that everything the bundle leaves to node_modules is a production dependency that electron-builder packs.

// Native addons and packages that pick their drivers with dynamic require() stay in node_modules.
export const MAIN_EXTERNALS = [
  'electron',
  'keytar',
  'sqlite3',
  'sodium-native',
  'better-sqlite3',
  'knex',
  'pg',
  'pg-native',
  'pg-query-stream',
  'mysql',
  'mysql2',
  'oracledb',
  'tedious',
  // Reads its standard font metrics from files beside its own code.
  'pdfkit',
];

/** esbuild options for dist/main/index.js (the caller adds outfile or write: false). */
export const MAIN_BUILD = {
  entryPoints: ['main/app/main.main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: MAIN_EXTERNALS,
  // Bundled CommonJS dependencies call require(); an ES module has none unless it is created.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
};
