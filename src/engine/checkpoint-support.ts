/**
 * Checkpoint/restore (CRIU) support of this host. berth does not checkpoint containers: Debian 12's
 * criu is too old for current kernels, and without a working `criu check` nothing can be done.
 * Every checkpoint request answers with why, instead of failing somewhere inside runc.
 */
import { errors, messageOf } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';

/** Throws failed-precondition (`checkpoint-unsupported`) naming what this host lacks. */
export async function refuseCheckpoint(runner: ProcessRunner): Promise<never> {
  let why: string;
  try {
    await runner.run('criu', ['check']);
    why = 'berth does not implement checkpoint/restore';
  } catch (err) {
    why = `\`criu check\` fails (${messageOf(err).split('\n')[0] ?? 'no output'})`;
  }
  throw errors.failedPrecondition('checkpoint-unsupported', `checkpoint/restore is not supported on this host: ${why}`);
}
