/**
 * A typed wrapper over the runc CLI, the command-line dialect of OCI runtimes that both runc and
 * crun speak. Every call passes `--root <state dir>`, so containers of different berth roots (and
 * of tests) never see each other.
 */
import { z } from 'zod';
import type { ProcessRunner } from '../base/process-runner.js';
import { parseJson } from '../oci/parse-json.js';
import { classifyRuntimeError } from './runtime-errors.js';

export type RuncStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

const stateSchema = z.object({
  id: z.string(),
  pid: z.number().int(),
  status: z.enum(['creating', 'created', 'running', 'paused', 'stopped']),
  bundle: z.string(),
  // crun's list leaves it out.
  rootfs: z.string().optional(),
  created: z.string(),
  annotations: z.record(z.string(), z.string()).nullish(),
});

/** What `runc state` reports. `pid` is 0 once the container has stopped. */
export type RuncState = z.infer<typeof stateSchema>;

export interface RuncOptions {
  runner: ProcessRunner;
  /** runc's state directory (`--root`). */
  root: string;
  /** The runtime's program (default `runc` on PATH); may be a wrapper that execs the runtime. */
  runcPath?: string;
  /** The runtime's name in messages (default `runc`). */
  name?: string;
}

/**
 * An OCI runtime's CLI on one state root. Every method throws not-found (`container-not-found`) when
 * runc does not know the id, failed-precondition (`container-not-running`, `container-wrong-state`,
 * `container-running`) when the container is in the wrong state for the operation, not-found
 * (`command-not-found`) when the runtime is missing, internal (`runc-failed`) otherwise (see
 * runtime-errors.ts).
 * Calls for different containers are safe concurrently; runc itself locks per container.
 */
export class RuncCli {
  readonly name: string;
  readonly root: string;
  readonly runcPath: string;
  readonly #runner: ProcessRunner;

  constructor(options: RuncOptions) {
    this.name = options.name ?? 'runc';
    this.root = options.root;
    this.runcPath = options.runcPath ?? 'runc';
    this.#runner = options.runner;
  }

  async #run(id: string, action: string, args: readonly string[]): Promise<string> {
    try {
      const { stdout } = await this.#runner.run(this.runcPath, ['--root', this.root, ...args]);
      return stdout;
    } catch (cause) {
      throw classifyRuntimeError(this.name, id, action, cause);
    }
  }

  /** The container's state. */
  async state(id: string): Promise<RuncState> {
    return parseJson(stateSchema, await this.#run(id, 'state', ['state', id]), `${this.name} state ${id}`);
  }

  /** Every container in this root (an empty list when the root does not exist yet). */
  async list(): Promise<RuncState[]> {
    const out = await this.#run('', 'list', ['list', '--format', 'json']);
    const trimmed = out.trim();
    if (trimmed === '' || trimmed === 'null') return [];
    return parseJson(z.array(stateSchema), trimmed, `${this.name} list`);
  }

  /** Starts a created container's process (the user's command). */
  async start(id: string): Promise<void> {
    await this.#run(id, 'start', ['start', id]);
  }

  /**
   * Sends a signal (name like `TERM`/`SIGKILL` or a number) and returns at once; it does not
   * wait for the process to exit. `all` signals every process of the container.
   */
  async kill(id: string, signal: string | number = 'TERM', options: { all?: boolean } = {}): Promise<void> {
    await this.#run(id, 'kill', ['kill', ...(options.all === true ? ['--all'] : []), id, String(signal)]);
  }

  /** Deletes the container's state (and its leaf cgroup). `force` kills a running container first. */
  async delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    await this.#run(id, 'delete', ['delete', ...(options.force === true ? ['--force'] : []), id]);
  }

  /** Freezes every process of the container (freezer cgroup). */
  async pause(id: string): Promise<void> {
    await this.#run(id, 'pause', ['pause', id]);
  }

  /** Thaws a paused container. */
  async resume(id: string): Promise<void> {
    await this.#run(id, 'resume', ['resume', id]);
  }

  /**
   * Changes the cgroup limits of a running container to `resourcesFile` (a JSON file holding OCI
   * `linux.resources`). The kernel refuses, for example, a memory limit below current usage:
   * that is internal (`runc-failed`) with runc's message.
   */
  async update(id: string, resourcesFile: string): Promise<void> {
    await this.#run(id, 'update', ['update', '--resources', resourcesFile, id]);
  }

  /** The host pids of the container's processes. */
  async pids(id: string): Promise<number[]> {
    const out = await this.#run(id, 'ps', ['ps', '--format', 'json', id]);
    return parseJson(z.array(z.number().int()).nullable(), out.trim() || 'null', `${this.name} ps ${id}`) ?? [];
  }
}
