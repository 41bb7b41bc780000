import { defineConfig } from '@playwright/test';

/** Real-Electron smoke tests; the Chromium-only UI suite lives in playwright.config.ts. */
export default defineConfig({
  testDir: 'test/electron',
  testMatch: '*.spec.ts',
  globalSetup: './test/electron/globalSetup.ts',
  // One app instance at a time: the single-instance lock would make parallel launches hand off to each other.
  workers: 1,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: '.test-results/electron.json' }]],
  outputDir: 'test-results/electron',
});
