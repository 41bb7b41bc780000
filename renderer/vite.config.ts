import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import mantinePreset from 'postcss-preset-mantine';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The renderer ships under a CSP without 'unsafe-inline': every script, style and asset must be a file. */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  css: { postcss: { plugins: [mantinePreset()] } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // Loaded from the local disk in one piece, so splitting buys nothing.
    chunkSizeWarningLimit: 1024,
    target: 'chrome130',
  },
});
