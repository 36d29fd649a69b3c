import type { ErrorKind } from './errors.js';

/** The HTTP status of each error kind, as the Docker Engine API answers them (and the cluster port too). */
export const HTTP_STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  'invalid-argument': 400,
  unauthenticated: 401,
  'permission-denied': 403,
  'not-found': 404,
  conflict: 409,
  'already-exists': 409,
  'failed-precondition': 409,
  'resource-exhausted': 429,
  canceled: 499,
  internal: 500,
  'data-loss': 500,
  unavailable: 503,
};
