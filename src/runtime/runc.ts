/**
 * A typed wrapper over the runc CLI. Every call passes `--root <state dir>`, so containers of
 * different berth roots (and of tests) never see each other.
 */
import { z } from 'zod';
import { BerthError, errors, isBerthError, messageOf } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { parseJson } from '../oci/parse-json.js';

export type RuncStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

const stateSchema = z.object({
  id: z.string(),
  pid: z.number().int(),
  status: z.enum(['creating', 'created', 'running', 'paused', 'stopped']),
  bundle: z.string(),
  rootfs: z.string(),
  created: z.string(),
  annotations: z.record(z.string(), z.string()).nullish(),
});

/** What `runc state` reports. `pid` is 0 once the container has stopped. */
export type RuncState = z.infer<typeof stateSchema>;

export interface RuncOptions {
  runner: ProcessRunner;
  /** runc's state directory (`--root`). */
  root: string;
  /** The runc binary (default `runc` on PATH). */
  runcPath?: string;
}

/**
 * Classifies runc's stderr, which is the only signal runc gives. Kept in one place: runc's wording
 * is stable across 1.x (`container does not exist`, `container not running`, ...).
 */
function classify(id: string, action: string, cause: unknown): BerthError {
  const stderr = isBerthError(cause) && typeof cause.details.stderr === 'string' ? cause.details.stderr : messageOf(cause);
  const details = { id, action, stderr };
  const msg = `runc ${action} ${id}: ${stderr.trim() || messageOf(cause)}`;
  if (isBerthError(cause, 'not-found') && cause.reason === 'command-not-found') return cause;
  if (/does not exist|container not found/i.test(stderr)) return errors.notFound('container-not-found', msg, { cause, details });
  if (/already exists/i.test(stderr)) return errors.alreadyExists('container-exists', msg, { cause, details });
  if (/not running|container is stopped|process already finished/i.test(stderr)) {
    return errors.failedPrecondition('container-not-running', msg, { cause, details });
  }
  if (/is paused|not paused|cannot be paused|not in (the )?(running|paused)/i.test(stderr)) {
    return errors.failedPrecondition('container-wrong-state', msg, { cause, details });
  }
  if (/is running|cannot delete container .* that is not stopped/i.test(stderr)) {
    return errors.failedPrecondition('container-running', msg, { cause, details });
  }
  return errors.internal('runc-failed', msg, { cause, details });
}

/**
 * The runc CLI on one state root. Every method throws not-found (`container-not-found`) when
 * runc does not know the id, failed-precondition (`container-not-running`, `container-wrong-state`,
 * `container-running`) when the container is in the wrong state for the operation, not-found
 * (`command-not-found`) when runc is missing, internal (`runc-failed`) otherwise.
 * Calls for different containers are safe concurrently; runc itself locks per container.
 */
export class RuncCli {
  readonly root: string;
  readonly runcPath: string;
  readonly #runner: ProcessRunner;

  constructor(options: RuncOptions) {
    this.root = options.root;
    this.runcPath = options.runcPath ?? 'runc';
    this.#runner = options.runner;
  }

  async #run(id: string, action: string, args: readonly string[]): Promise<string> {
    try {
      const { stdout } = await this.#runner.run(this.runcPath, ['--root', this.root, ...args]);
      return stdout;
    } catch (cause) {
      throw classify(id, action, cause);
    }
  }

  /** The container's state. */
  async state(id: string): Promise<RuncState> {
    return parseJson(stateSchema, await this.#run(id, 'state', ['state', id]), `runc state ${id}`);
  }

  /** Every container in this root (an empty list when the root does not exist yet). */
  async list(): Promise<RuncState[]> {
    const out = await this.#run('', 'list', ['list', '--format', 'json']);
    const trimmed = out.trim();
    if (trimmed === '' || trimmed === 'null') return [];
    return parseJson(z.array(stateSchema), trimmed, 'runc list');
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
    return parseJson(z.array(z.number().int()).nullable(), out.trim() || 'null', `runc ps ${id}`) ?? [];
  }
}
