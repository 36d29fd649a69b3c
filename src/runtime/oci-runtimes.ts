/**
 * The OCI runtimes a node can run containers with, by name: `runc` (always; the default) and
 * `crun` (when installed). Each has its own state directory (`--root`), so `list` of one never
 * shows the other's containers, and the program conmon and the engine run: the binary itself, or
 * on a hybrid cgroup host crun's wrapper (crun-hybrid-wrapper.ts).
 */
import { join } from 'node:path';
import { errors, type BerthError } from '../base/errors.js';
import { findExecutable } from '../base/find-executable.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { CgroupLayout } from './cgroup-layout.js';
import { crunNeedsWrapper, hybridWrapperScript, writeHybridWrapper } from './crun-hybrid-wrapper.js';
import { RuncCli } from './runc.js';
import { componentLogger } from '../base/logger.js';
import { readTextOr } from '../base/fs-probe.js';

const log = componentLogger('runtime');

/** The runtime of a container recorded before runtimes could be chosen. */
export const DEFAULT_RUNTIME = 'runc';

/** One runtime. Immutable; safe to share. */
export interface OciRuntime {
  readonly name: string;
  /** The runtime's binary (what `/info` reports). */
  readonly binary: string;
  /** What conmon (`--runtime`) and the CLI run: the binary or its wrapper. */
  readonly path: string;
  /** Its state directory (`--root`). */
  readonly root: string;
  readonly cli: RuncCli;
}

export interface OciRuntimesOptions {
  runner: ProcessRunner;
  layout: CgroupLayout;
  /** The state directory of the runtime named so. */
  stateDir(name: string): string;
  /** Where generated wrappers are written. */
  wrapperDir: string;
  /** The runc binary (name on PATH or path; default `runc`). Required: not-found when missing. */
  runcPath?: string | undefined;
  /** The crun binary; when given it must exist, when absent crun is offered if on PATH. */
  crunPath?: string | undefined;
  /** The runtime of containers created without one (default runc). */
  defaultRuntime?: string | undefined;
}

function unknownRuntime(name: string, known: readonly string[]): BerthError {
  return errors.invalidArgument('unknown-runtime', `unknown or invalid runtime name: ${name} (this node has ${known.join(', ')})`, { details: { runtime: name } });
}

function optionalExecutable(name: string): string | undefined {
  try {
    return findExecutable(name);
  } catch {
    return undefined; // an optional runtime: not offered when it is not installed
  }
}

export class OciRuntimes {
  readonly defaultName: string;
  readonly #byName: ReadonlyMap<string, OciRuntime>;

  private constructor(runtimes: readonly OciRuntime[], defaultName: string) {
    this.#byName = new Map(runtimes.map((r) => [r.name, r]));
    if (!this.#byName.has(defaultName)) throw unknownRuntime(defaultName, this.names());
    this.defaultName = defaultName;
  }

  /**
   * Finds the runtimes and writes crun's wrapper where the layout needs it. Throws not-found
   * (`command-not-found`) when runc (or a crun named by `crunPath`) is missing, invalid-argument
   * (`unknown-runtime`) when `defaultRuntime` is not one of them.
   */
  static async open(options: OciRuntimesOptions): Promise<OciRuntimes> {
    const runtime = (name: string, binary: string, path = binary): OciRuntime => {
      const root = options.stateDir(name);
      return { name, binary, path, root, cli: new RuncCli({ runner: options.runner, root, runcPath: path, name }) };
    };
    const runtimes = [runtime('runc', findExecutable(options.runcPath ?? 'runc'))];
    const crun = options.crunPath === undefined ? optionalExecutable('crun') : findExecutable(options.crunPath);
    if (crun !== undefined) runtimes.push(runtime('crun', crun, await crunProgram(options, crun)));
    return new OciRuntimes(runtimes, options.defaultRuntime ?? DEFAULT_RUNTIME);
  }

  /** The runtime named so. Throws invalid-argument (`unknown-runtime`) naming it. */
  get(name: string): OciRuntime {
    const found = this.#byName.get(name);
    if (found === undefined) throw unknownRuntime(name, this.names());
    return found;
  }

  /** Every runtime, runc first. */
  all(): OciRuntime[] {
    return [...this.#byName.values()];
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }
}

/** crun itself, or on a hybrid host its wrapper (rewritten only when its text changes). */
async function crunProgram(options: OciRuntimesOptions, crun: string): Promise<string> {
  const { unified } = options.layout;
  if (!crunNeedsWrapper(options.layout) || unified === undefined) return crun;
  const path = join(options.wrapperDir, 'crun-hybrid');
  const programs = { unshare: findExecutable('unshare'), umount: findExecutable('umount'), shell: findExecutable('sh'), crun, unified };
  const current = await readTextOr(path, '', log); // none yet: written below
  if (current !== hybridWrapperScript(programs)) await writeHybridWrapper(path, programs);
  return path;
}
