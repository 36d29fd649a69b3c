/**
 * `berth lab …` (the CLI's lab port, cli/berth-ports.ts): lab/ composed in the berth process.
 */
import type { ProcessRunner } from '../../base/process-runner.js';
import type { LabCommands } from '../../cli/berth-ports.js';
import { downLab, labStatus, upLab } from '../../lab/index.js';

/** The lab port on `runner`; `dir` is the directory holding labs (lab/'s default when absent). */
export function labCommands(runner: ProcessRunner): LabCommands {
  return {
    up: (options) => upLab(runner, {
      name: options.name, managers: options.managers, workers: options.workers,
      ...(options.dir !== undefined && { root: options.dir }), ...(options.subnet !== undefined && { subnet: options.subnet }),
    }),
    down: (flags) => downLab(runner, { name: flags.name, ...(flags.dir !== undefined && { root: flags.dir }) }),
    status: (flags) => labStatus({ name: flags.name, ...(flags.dir !== undefined && { root: flags.dir }) }),
  };
}
