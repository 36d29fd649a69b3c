/**
 * The berth process's one process runner and one clock. `berth-main.ts` hands the runner to the
 * CLI (its `runner` port), and every in-process part uses these two: the image service of a
 * state root (`local-images.ts`), the scanner (`scanner-local.ts`), `cp`'s tar code.
 */
import { systemClock, type Clock } from '../../base/clock.js';
import { ChildProcessRunner, type ProcessRunner } from '../../base/process-runner.js';

export const processRunner: ProcessRunner = new ChildProcessRunner();
export const processClock: Clock = systemClock;
