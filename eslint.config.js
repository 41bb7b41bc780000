import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './scripts/eslint-layers.mjs';

const TS = ['**/*.ts', '**/*.tsx', '**/*.mts'];

// Import boundaries, by file suffix: *.std.ts is pure and runs anywhere (the renderer bundles it); *.node.ts is
// plain Node; *.main.ts and *.preload.ts are Electron glue. The renderer sees main only through *.std.ts.
const NODE_BUILTINS = { regex: '^node:', message: 'Node builtins are not available here.' };
const ELECTRON_GLUE = {
  regex: '\\.(main|preload)(\\.ts)?$',
  message: 'Only Electron glue (*.main.ts / *.preload.ts) may import Electron glue.',
};

const stdBoundary = {
  patterns: [
    NODE_BUILTINS,
    {
      regex: '^(?![./]|zod(/|$)|node:)',
      allowTypeImports: true,
      message: '*.std.ts runs in the renderer too: only zod and other *.std.ts files (type-only imports excepted).',
    },
    {
      regex: '^\\.{1,2}/(?!.*\\.std(\\.ts)?$)',
      message: '*.std.ts may import only other *.std.ts files.',
    },
  ],
};

// What a *.std.ts file may not use at run time, whatever it imports (after Signal's file-suffix rule): these exist
// under Node only, and *.std.ts is bundled into the renderer. Type-only uses (a `Buffer` parameter type) are fine.
const NODE_GLOBALS = ['Buffer', 'process', 'require', 'module', 'exports', '__dirname', '__filename', 'global', 'setImmediate', 'clearImmediate'].map(
  (name) => ({ name, message: `${name} exists only under Node; *.std.ts runs in the renderer too. Move this to a *.node.ts file.` }),
);

const nodeBoundary = {
  paths: [{ name: 'electron', message: '*.node.ts must run under plain Node; put Electron code in a *.main.ts file.' }],
  patterns: [ELECTRON_GLUE],
};

const rendererBoundary = {
  paths: [
    { name: 'electron', message: 'The renderer talks to main only through window.privacyConsole.' },
    ...builtinModules.map((name) => ({ name, message: 'Node builtins are not available in the renderer.' })),
  ],
  patterns: [
    NODE_BUILTINS,
    {
      regex: '(^|/)main/(?!.*\\.std(\\.ts)?$)',
      message: 'The renderer may import only main/**/*.std.ts files.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'test-results/', '.test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    ignores: ['renderer/src/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.std.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', stdBoundary],
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
    },
  },
  {
    // Layers (scripts/eslint-layers.mjs): platform imports only platform; a feature reaches another only through
    // its contract or a port; nothing below the composition root imports it.
    files: ['main/**/*.ts'],
    plugins: { local: layers },
    rules: { 'local/layers': 'error' },
  },
  {
    files: ['**/*.node.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', nodeBoundary] },
  },
  {
    // The app has a file logger; the console of a packaged app goes nowhere.
    files: ['main/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['renderer/src/**'],
    extends: [reactHooks.configs.flat['recommended-latest']],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The core rule, so a renderer *.std.ts file is held to both boundaries instead of the last one only.
      'no-restricted-imports': ['error', rendererBoundary],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: TS,
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
