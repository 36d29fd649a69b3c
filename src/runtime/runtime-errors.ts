/**
 * Classification of an OCI runtime CLI's failure. The runtime's stderr is the only signal runc
 * and crun give, so this is the one place that reads it; everything above sees a BerthError kind
 * and reason. Both runtimes' wordings are known here (runc 1.1: `container does not exist`,
 * `container not running`, ...; crun 1.8: ``error opening file `<root>/<id>/status` ``, ``the
 * container `<id>` is not running``, ...).
 */
import { type BerthError, errors, isBerthError, messageOf } from '../base/errors.js';

/** How a runtime says that it does not know the container. */
const NOT_FOUND = /does not exist|container not found/i;
/** crun: the container's state directory (or its status file) under `--root` is missing. */
function crunStateMissing(id: string): RegExp {
  const escaped = id.replace(/[^0-9A-Za-z_-]/g, (c) => `\\${c}`);
  return new RegExp(`(error opening file|cannot open directory) [\`'].*/${escaped}(/status)?[\`']: No such file or directory`);
}
const NOT_RUNNING = /not running|container is stopped|process already finished|kill container: No such process/i;
const WRONG_STATE = /is paused|not paused|cannot be paused|not in (the )?(running|paused)/i;
const RUNNING = /is running|cannot delete container .* that is not stopped/i;
/** crun refuses start and delete alike with this; for a delete it means the container runs. */
const NOT_CREATED_OR_STOPPED = /is not in `created` or `stopped` state/;

/**
 * The error of `<runtime> <action> <id>` that failed with `cause` (whose details carry stderr):
 * not-found (`container-not-found`), already-exists (`container-exists`), failed-precondition
 * (`container-not-running`, `container-wrong-state`, `container-running`), the runner's not-found
 * (`command-not-found`) as is, and internal (`runc-failed`) for anything else.
 */
export function classifyRuntimeError(runtime: string, id: string, action: string, cause: unknown): BerthError {
  const stderr = isBerthError(cause) && typeof cause.details.stderr === 'string' ? cause.details.stderr : messageOf(cause);
  const details = { id, action, stderr, runtime };
  const msg = `${runtime} ${action} ${id}: ${stderr.trim() || messageOf(cause)}`;
  const options = { cause, details };
  if (isBerthError(cause, 'not-found') && cause.reason === 'command-not-found') return cause;
  if (NOT_FOUND.test(stderr) || crunStateMissing(id).test(stderr)) return errors.notFound('container-not-found', msg, options);
  if (/already exists/i.test(stderr)) return errors.alreadyExists('container-exists', msg, options);
  if (NOT_RUNNING.test(stderr)) return errors.failedPrecondition('container-not-running', msg, options);
  if (NOT_CREATED_OR_STOPPED.test(stderr)) {
    return action === 'delete'
      ? errors.failedPrecondition('container-running', msg, options)
      : errors.failedPrecondition('container-wrong-state', msg, options);
  }
  if (WRONG_STATE.test(stderr)) return errors.failedPrecondition('container-wrong-state', msg, options);
  if (RUNNING.test(stderr)) return errors.failedPrecondition('container-running', msg, options);
  return errors.internal('runc-failed', msg, options);
}
