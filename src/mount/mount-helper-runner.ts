/**
 * A ProcessRunner that performs the two mount commands berthd runs most — `mount -t overlay -o
 * <data> overlay <target>` at every container start and `umount <path>` at every exit — through
 * berth-mount (berth-mount.c, built into dist/libexec), a co-process that makes the system call,
 * instead of starting `mount` or `umount` for each (~5 ms apiece from berthd). Every other command
 * goes to the runner it wraps, and so do these two while berth-mount cannot be run. Results and
 * errors look as the programs' do: a failed mount is command-failed with mount's exit code 32.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errnoCode, errors } from '../base/errors.js';
import { LineCoprocess } from '../base/line-coprocess.js';
import type { ProcessRunner, RunOptions, RunResult } from '../base/process-runner.js';
import { traced } from '../base/trace-spans.js';

/** dist/libexec/berth-mount, next to the built code (this file is dist/src/mount/…). */
export const DEFAULT_MOUNT_PROGRAM = fileURLToPath(new URL('../../libexec/berth-mount', import.meta.url));

/** mount(8)'s exit code for a failed mount or umount. */
const MOUNT_FAILURE = 32;
/** overlayfs's own options: passed to mount(2) as data, never as flags. */
const OVERLAY_DATA = /^(lowerdir|upperdir|workdir|index|redirect_dir|metacopy|xino|userxattr|volatile)(=|$)/;
/** What a request field may hold: the helper's lines split at tabs and end at newlines. */
const FIELD = /^[^\t\n\0]+$/;

/** The helper's request line for this command, when it is one of the two it makes. */
export function mountRequestOf(command: string, args: readonly string[], options: RunOptions): string | undefined {
  if (options.input !== undefined || options.env !== undefined) return undefined;
  if (command === 'umount' && args.length === 1 && args[0]?.startsWith('/') === true && FIELD.test(args[0])) return `umount\t${args[0]}`;
  if (command !== 'mount' || args.length !== 6 || args[0] !== '-t' || args[1] !== 'overlay' || args[2] !== '-o') return undefined;
  const [data, source, target] = [args[3] ?? '', args[4] ?? '', resolve(args[5] ?? '')];
  if (!data.split(',').every((o) => OVERLAY_DATA.test(o))) return undefined;
  const fields = [source, target, data, resolve(options.cwd ?? '.')];
  return fields.every((f) => FIELD.test(f)) ? ['mount', 'overlay', ...fields].join('\t') : undefined;
}

export class MountHelperRunner implements ProcessRunner {
  readonly #helper: LineCoprocess;
  #usable = true;

  constructor(private readonly inner: ProcessRunner, program = DEFAULT_MOUNT_PROGRAM) {
    this.#helper = new LineCoprocess(program, ['--serve']);
  }

  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const request = this.#usable ? mountRequestOf(command, args, options) : undefined;
    if (request === undefined) return this.inner.run(command, args, options);
    return traced(`${command} (berth-mount)`, () => this.#perform(request, command, args, options));
  }

  async #perform(request: string, command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    let answer: string;
    try {
      answer = await this.#helper.ask(request);
    } catch (err) {
      // berth-mount died (the next request starts it again) or is missing (the programs do all
      // the work from now on): this one goes to the program.
      if (errnoCode(err) === 'ENOENT') this.#usable = false;
      return this.inner.run(command, args, options);
    }
    if (answer === 'ok') return { code: 0, stdout: '', stderr: '' };
    const stderr = `${command}: ${args.at(-1) ?? ''}: ${answer.replace(/^error \d+ /, '')}\n`;
    if ((options.okCodes ?? [0]).includes(MOUNT_FAILURE)) return { code: MOUNT_FAILURE, stdout: '', stderr };
    throw errors.internal('command-failed', `${command} ${args.join(' ')}: exit code ${MOUNT_FAILURE}: ${stderr.trim()}`, {
      details: { command, args, code: MOUNT_FAILURE, stderr },
    });
  }
}
