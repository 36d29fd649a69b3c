import type { BackoffOptions } from '../../base/retry-backoff.js';

/** The control plane's retry delays: 200 ms doubling to 10 s. */
export const CONTROL_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 10_000 };
