import { localStorageColorSchemeManager } from '@mantine/core';

/**
 * The colour scheme (System, Light or Dark) is remembered per workstation in the renderer's localStorage: a UI
 * preference with no personal data. "System" (Mantine's "auto") follows prefers-color-scheme.
 */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'itpc-color-scheme' });
