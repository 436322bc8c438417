import type { Client } from '#server/auth/sessions.ts';

/** Where the tests' and benchmarks' requests come from, as the server records them. Outside Vitest, for the benchmarks. */
export const CLIENT: Client = { ip: '203.0.113.7', userAgent: 'vitest' };
