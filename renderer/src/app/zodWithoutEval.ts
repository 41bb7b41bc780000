import { config } from 'zod';

/**
 * Zod probes `new Function` while building object schemas (the contracts do so on import). The CSP forbids
 * eval, and even the swallowed probe is reported as a violation, so this must run before any contract loads.
 */
config({ jitless: true });
