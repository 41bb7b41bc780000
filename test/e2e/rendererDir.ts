/** Set by globalSetup for the workers: where this run's renderer build lives. */
export const RENDERER_DIR_ENV = 'ITPC_E2E_RENDERER_DIR';
