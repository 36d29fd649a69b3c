import type { BackoffOptions } from '../../base/retry-backoff.js';

/** The agent's retry delays: 250 ms doubling to 10 s. */
export const AGENT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000 };
