/**
 * A runtime's failure to start a process (`runc create` of a container, `runc exec` of an exec),
 * as conmon reports it on its sync pipe, classified where it starts: runc words a command it cannot
 * run as `exec: "x": executable file not found` / `no such file or directory` / `permission denied`.
 */
import { errors, type BerthError } from '../base/errors.js';

/**
 * internal with reason `executable-not-found` or `executable-not-permitted` when the command
 * cannot be run, otherwise internal with `otherReason`. `what` starts the message (`create <id>`).
 */
export function launchFailure(what: string, data: number, message: string | undefined, otherReason: string, details: Record<string, unknown> = {}): BerthError {
  const text = `${what}: ${message ?? `runtime failed (${data})`}`;
  const options = { details: { ...details, data } };
  if (message !== undefined && /exec: .*(executable file not found|no such file or directory)/i.test(message)) {
    return errors.internal('executable-not-found', text, options);
  }
  if (message !== undefined && /exec: .*permission denied/i.test(message)) return errors.internal('executable-not-permitted', text, options);
  return errors.internal(otherReason, text, options);
}

/** Docker's exit code for a process that could not be started: 127 not found, 126 not runnable. */
export function launchExitCode(reason: string, otherwise: number): number {
  return reason === 'executable-not-found' ? 127 : reason === 'executable-not-permitted' ? 126 : otherwise;
}
