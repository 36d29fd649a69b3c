/**
 * `exec`: extra processes in running containers. Sessions live in memory, as in Docker (created,
 * started once, inspected until their container is removed). The process is the container's own
 * (same capabilities, rlimits, no-new-privileges) with the exec's command, env, user and cwd.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { errors } from '../base/errors.js';
import { readFileInRoot } from '../mount/read-file-in-root.js';
import { connectAttach, type AttachConnection } from '../runtime/attach-socket.js';
import { prepareExec, type PreparedExec } from '../runtime/conmon-exec.js';
import { containerCapabilities } from '../runtime/spec/capabilities.js';
import type { OciProcess } from '../runtime/spec/oci-runtime-spec.js';
import { resolveUser } from '../runtime/spec/resolve-user.js';
import { userWithGroups } from '../runtime/spec/build-spec.js';
import { containerEnvironment } from '../runtime/spec/environment.js';
import { resizeTerminal } from '../runtime/terminal-resize.js';
import type { ImageConfig } from '../oci/schemas.js';
import type { ContainerEvents } from './container-events.js';
import type { ContainerPaths } from './container-paths.js';
import { runtimeOf, type TaskContext } from './container-task.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';
import { runLinks, type LinkContext } from './container-links.js';

/** What exec sessions need of the engine. */
export interface ExecContext {
  store: Pick<ContainerStore, 'resolve' | 'find'>;
  events: Pick<ContainerEvents, 'emit'>;
  paths: ContainerPaths;
  task: Pick<TaskContext, 'runtimes' | 'conmonPath' | 'host'>;
  imageConfig(imageId: string): Promise<ImageConfig>;
  /** What legacy links read (asked at each exec: their variables are those of now). */
  linking(): LinkContext;
}

export interface ExecConfig {
  cmd: string[];
  env?: string[];
  user?: string;
  workingDir?: string;
  tty?: boolean;
  attachStdin?: boolean;
  attachStdout?: boolean;
  attachStderr?: boolean;
  privileged?: boolean;
  detachKeys?: string;
}

export interface ExecSession {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  /** null until the process has exited. */
  exitCode: number | null;
  pid: number;
  started: boolean;
  /** Resolves with the exit code once the process exits (after start). */
  exited?: Promise<number>;
  controlPath?: string;
}

/** Merges env entries by key, later ones winning. */
function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const entry of [...base, ...extra]) byKey.set(entry.split('=')[0] ?? entry, entry);
  return [...byKey.values()];
}

export class ExecSessions {
  readonly #sessions = new Map<string, ExecSession>();

  constructor(private readonly ctx: ExecContext) {}

  /** Throws conflict when the container is not running or paused, invalid-argument without a command. */
  create(ref: string, config: ExecConfig): ExecSession {
    const record = this.ctx.store.resolve(ref);
    if (!isActive(record.state) || record.state.status === 'restarting') throw errors.conflict('container-not-running', `Container ${record.id} is not running`);
    if (record.state.status === 'paused') {
      throw errors.conflict('container-paused', `Container ${record.id} is paused, unpause the container before exec`);
    }
    if (config.cmd.length === 0) throw errors.invalidArgument('no-exec-command', 'No exec command specified');
    const session: ExecSession = {
      id: randomBytes(32).toString('hex'), containerId: record.id, config, running: false, exitCode: null, pid: 0, started: false,
    };
    this.#sessions.set(session.id, session);
    this.ctx.events.emit('action', record.id, `exec_create: ${config.cmd.join(' ')}`, { execID: session.id });
    return session;
  }

  /** Forgets one finished (or abandoned) session, e.g. a health probe's. */
  discard(id: string): void {
    this.#sessions.delete(id);
  }

  /** Throws not-found (`no-such-exec`). */
  get(id: string): ExecSession {
    const session = this.#sessions.get(id);
    if (session === undefined) throw errors.notFound('no-such-exec', `No such exec instance: ${id}`);
    return session;
  }

  idsOf(containerId: string): string[] {
    return [...this.#sessions.values()].filter((s) => s.containerId === containerId).map((s) => s.id);
  }

  /** Forgets the sessions of a removed container. */
  forget(containerId: string): void {
    for (const id of this.idsOf(containerId)) this.#sessions.delete(id);
  }

  /**
   * The session, if `start` may run it now: throws not-found (`no-such-exec`), conflict
   * (`exec-already-started`) the second time, conflict (`container-not-running`) when its
   * container stopped. Lets a caller answer these before it commits to a stream.
   */
  startable(id: string): ExecSession {
    const session = this.get(id);
    if (session.started) throw errors.conflict('exec-already-started', `Error: Exec command ${id} has already run`);
    const record = this.ctx.store.find(session.containerId);
    if (record === undefined || !isActive(record.state)) throw errors.conflict('container-not-running', `Container ${session.containerId} is not running`);
    return session;
  }

  /**
   * Runs the session's process. With `attach`, connects to its stdio before it starts and returns
   * the connection. Throws as `startable`, and what conmon/runc report (reason
   * `executable-not-found` / `executable-not-permitted` for a command that cannot be run); a
   * failed start leaves the session exited with code 126, as dockerd.
   */
  async start(id: string, attach: boolean, consoleSize?: [number, number]): Promise<{ session: ExecSession; connection?: AttachConnection }> {
    const session = this.startable(id);
    const record = this.ctx.store.find(session.containerId);
    if (record === undefined) throw errors.conflict('container-not-running', `Container ${session.containerId} is not running`);
    session.started = true;
    const execDir = this.ctx.paths.execDir(record.id, id);
    const runtime = runtimeOf(this.ctx.task, record);
    const tty = session.config.tty === true;
    const prepared: PreparedExec = await prepareExec({
      id: record.id,
      runtimeRoot: runtime.root,
      runcPath: runtime.path,
      conmonPath: this.ctx.task.conmonPath,
      process: { ...(await this.#process(record, session.config)), terminal: tty },
      execDir,
      terminal: tty,
      stdin: session.config.attachStdin === true,
      signal: AbortSignal.timeout(30_000),
    });
    let connection: AttachConnection | undefined;
    try {
      if (attach) connection = await connectAttach(prepared.attachSocketPath, AbortSignal.timeout(10_000));
      if (tty && consoleSize !== undefined && consoleSize[0] > 0 && consoleSize[1] > 0) await resizeTerminal(prepared.controlPath, consoleSize[0], consoleSize[1]);
      const running = await prepared.start(AbortSignal.timeout(30_000));
      session.pid = running.pid;
      session.running = true;
      this.ctx.events.emit('action', record.id, `exec_start: ${session.config.cmd.join(' ')}`, { execID: id });
      session.controlPath = prepared.controlPath;
      session.exited = running.wait().then(
        (code) => code,
        () => 126,
      ).then(async (code) => {
        session.running = false;
        session.exitCode = code;
        this.ctx.events.emit('action', record.id, 'exec_die', { execID: id, exitCode: String(code) });
        await rm(execDir, { recursive: true, force: true });
        return code;
      });
    } catch (err) {
      prepared.cancel();
      connection?.close();
      session.exitCode = 126; // dockerd's code for an exec that could not start, whatever the cause
      await rm(execDir, { recursive: true, force: true });
      throw err;
    }
    return connection === undefined ? { session } : { session, connection };
  }

  async resize(id: string, rows: number, cols: number): Promise<void> {
    const session = this.get(id);
    if (session.config.tty !== true || !session.running || session.controlPath === undefined) return;
    await resizeTerminal(session.controlPath, rows, cols);
  }

  /**
   * The exec's OCI process: the container's, with the exec's args, env, user (with the container's
   * `--group-add` groups) and cwd. As dockerd, the environment is built again, so the variables of
   * legacy links are those of now (a link removed or a linked container renamed since the start shows).
   */
  async #process(record: ContainerRecord, config: ExecConfig): Promise<OciProcess> {
    const spec = JSON.parse(await readFile(this.ctx.paths.spec(record.id), 'utf8')) as { process: OciProcess };
    const base = spec.process;
    const rootfs = this.ctx.paths.rootfs(record.id);
    const process: OciProcess = { ...base, args: config.cmd, env: mergeEnv(await this.#environment(record), config.env ?? []) };
    if (config.workingDir !== undefined && config.workingDir !== '') process.cwd = config.workingDir;
    if (config.user !== undefined && config.user !== '') {
      const group = await readFileInRoot(rootfs, '/etc/group');
      process.user = userWithGroups(resolveUser(config.user, await readFileInRoot(rootfs, '/etc/passwd'), group), record.config.options.groupAdd, group);
    }
    if (config.privileged === true) {
      const caps = containerCapabilities({ privileged: true, available: this.ctx.task.host.capabilities });
      process.capabilities = { bounding: caps, effective: [...caps], permitted: [...caps] };
    }
    return process;
  }

  /** The container's process environment with the variables of its links as they are now. */
  async #environment(record: ContainerRecord): Promise<string[]> {
    const { options } = record.config;
    const image = await this.ctx.imageConfig(record.imageId);
    const links = await runLinks(this.ctx.linking(), record, false);
    return containerEnvironment({
      imageEnv: image.config?.Env, userEnv: options.env, hostname: options.hostname ?? record.id.slice(0, 12), tty: options.tty === true, linkEnv: links.env,
    });
  }
}
