import type { BuildOptions } from 'esbuild';
export declare const MAIN_EXTERNALS: readonly string[];
export declare const MAIN_BUILD: BuildOptions & { entryPoints: string[]; external: string[] };
