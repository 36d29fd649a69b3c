/**
 * One error type for the whole project. The `kind` is a closed set that edges translate into
 * HTTP statuses, registry error codes or exit codes; the `reason` is a stable machine-readable code.
 * Classify where the error starts, wrap with `cause` as it moves up, never match on message text.
 */
export const ERROR_KINDS = [
  'not-found',
  'already-exists',
  'invalid-argument',
  'conflict',
  'failed-precondition',
  'unavailable',
  'permission-denied',
  'unauthenticated',
  'resource-exhausted',
  'canceled',
  'internal',
  'data-loss',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface BerthErrorOptions {
  /** The error (of any type) that led to this one. */
  cause?: unknown;
  /** Extra structured facts for logs and API answers (never parsed by code). */
  details?: Record<string, unknown>;
}

export class BerthError extends Error {
  override readonly name = 'BerthError';
  readonly details: Record<string, unknown>;

  constructor(
    readonly kind: ErrorKind,
    readonly reason: string,
    message: string,
    options: BerthErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
  }
}

export function isBerthError(err: unknown, kind?: ErrorKind): err is BerthError {
  return err instanceof BerthError && (kind === undefined || err.kind === kind);
}

/** Shorthands for the kinds raised most often. */
export const errors = {
  notFound: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('not-found', reason, message, options),
  alreadyExists: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('already-exists', reason, message, options),
  invalidArgument: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('invalid-argument', reason, message, options),
  conflict: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('conflict', reason, message, options),
  failedPrecondition: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('failed-precondition', reason, message, options),
  permissionDenied: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('permission-denied', reason, message, options),
  unavailable: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('unavailable', reason, message, options),
  internal: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('internal', reason, message, options),
  dataLoss: (reason: string, message: string, options?: BerthErrorOptions) =>
    new BerthError('data-loss', reason, message, options),
};

/** The message of any thrown value, for wrapping foreign errors. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Node's errno code (ENOENT, EEXIST, ...) of a thrown value, if it has one. */
export function errnoCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
