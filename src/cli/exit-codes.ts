import type { ErrorKind } from '../base/errors.js';

/** Exit code per error kind; documented in docs/cli.md. 1 is for anything unclassified. */
export const EXIT_CODES: Record<ErrorKind, number> = {
  'invalid-argument': 2,
  'not-found': 3,
  'already-exists': 4,
  conflict: 4,
  'failed-precondition': 5,
  unavailable: 6,
  'permission-denied': 7,
  unauthenticated: 7,
  'resource-exhausted': 8,
  canceled: 130,
  internal: 1,
  'data-loss': 9,
};
