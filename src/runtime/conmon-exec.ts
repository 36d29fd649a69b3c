/**
 * Runs an extra process in a running container through conmon (`-e --exec-process-spec`), as
 * Podman does: conmon runs `runc exec`, logs the process's output in k8s-file format and reports
 * on the sync pipe first the process's pid, then its exit code. The exit file is named after the
 * container id, so every exec gets its own directory (`execDir`) for exits, persist data and cwd;
 * it is also the exec's conmon bundle dir, where conmon puts the exec's `attach` socket
 * (`--full-attach`: no symlink in a socket dir) and `ctl` FIFO. The container's own bundle dir
 * must not be used: conmon would replace the container's socket and FIFOs with the exec's.
 *
 * With `--exec-attach` conmon sets the attach socket up, says so on the attach pipe, and runs
 * `runc exec` only when told to: prepareExec → connect (attach-socket.ts) → resize → start.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../base/errors.js';
import { isProcessAlive } from '../base/process-alive.js';
import { readPidFile } from './conmon-launcher.js';
import { startConmon, type ConmonHandle } from './conmon-process.js';
import { launchFailure } from './launch-failure.js';
import { terminalControlPath } from './terminal-resize.js';

export interface ExecOptions {
  /** The running container. */
  id: string;
  runtimeRoot: string;
  runcPath: string;
  conmonPath: string;
  /** The OCI `process` object of the exec (args, env, cwd, user, capabilities...); `terminal` comes from the option. */
  process: Record<string, unknown>;
  /** A fresh directory for this exec (created if missing): spec, log, exit dir, persist dir, attach socket, ctl. */
  execDir: string;
  /** Allocate a pty (conmon `-t`, `runc exec --tty`); output is then all stdout. Default false. */
  terminal?: boolean;
  /**
   * Give the process a stdin fed by attach clients (conmon `-i`); it is closed when the first
   * client disconnects or half-closes (execs are always stdin-once). Default false: /dev/null.
   */
  stdin?: boolean;
  /** Bounds the wait for conmon (prepareExec) or for `runc exec` to start the process (start). */
  signal?: AbortSignal;
}

/** A started exec. */
export interface RunningExec {
  pid: number;
  /** k8s-file log of the exec's stdout/stderr. */
  logPath: string;
  /** conmon also writes the code to `<exitDir>/<container id>`. */
  exitDir: string;
  /**
   * Resolves with the exit code (128 + signal when killed). Throws internal (`exec-failed`) when
   * conmon reports a failure, canceled when `signal` aborts. Call once.
   */
  wait(signal?: AbortSignal): Promise<number>;
}

/**
 * An exec whose conmon listens on `attachSocketPath` but has not run the process yet. Connect
 * there (and resize through `controlPath` with a terminal) before `start` to see all output.
 * Call exactly one of `start` (resolves like startExec) or `cancel` (kills the waiting conmon;
 * idempotent). Not safe for concurrent calls.
 */
export interface PreparedExec {
  /** The exec's (daemonized) conmon. */
  conmonPid: number;
  attachSocketPath: string;
  /** The exec's terminal control FIFO (`resizeTerminal`). */
  controlPath: string;
  start(signal?: AbortSignal): Promise<RunningExec>;
  cancel(): void;
}

function conmonExecArgs(o: ExecOptions, paths: { exitDir: string; persistDir: string; logPath: string; specPath: string }): string[] {
  return [
    '--api-version', '1',
    '-c', o.id,
    '-u', randomUUID(),
    '-r', o.runcPath,
    '-b', o.execDir,
    '-p', join(o.execDir, 'pid'),
    '-P', join(o.execDir, 'conmon.pid'),
    '-l', `k8s-file:${paths.logPath}`,
    '--exit-dir', paths.exitDir,
    '--persist-dir', paths.persistDir,
    '--full-attach', // the socket is <execDir>/attach; no symlink in a socket dir
    '-e', '--exec-attach', '--exec-process-spec', paths.specPath,
    '--runtime-arg', '--root', '--runtime-arg', o.runtimeRoot,
    ...(o.terminal === true ? ['-t'] : []),
    ...(o.stdin === true ? ['-i'] : []),
  ];
}

/**
 * Starts the exec's conmon and resolves once its attach socket listens. Throws invalid-argument
 * (`terminal-mismatch`) when `process.terminal` disagrees with `terminal`, internal
 * (`conmon-failed`) or not-found (`conmon-not-found`) as launchContainer, canceled when `signal`
 * aborts. Execs of one container may be prepared and run concurrently, each with its own execDir.
 */
export async function prepareExec(options: ExecOptions): Promise<PreparedExec> {
  const terminal = options.terminal === true;
  if ('terminal' in options.process && options.process.terminal !== terminal) {
    throw errors.invalidArgument('terminal-mismatch', `exec in ${options.id}: process.terminal disagrees with the terminal option (${terminal})`);
  }
  const paths = {
    exitDir: join(options.execDir, 'exits'),
    persistDir: join(options.execDir, 'persist'),
    logPath: join(options.execDir, 'exec.log'),
    specPath: join(options.execDir, 'process.json'),
  };
  for (const dir of [paths.exitDir, paths.persistDir]) await mkdir(dir, { recursive: true });
  await writeFile(paths.specPath, JSON.stringify({ ...options.process, terminal }));
  const conmon = startConmon(options.conmonPath, conmonExecArgs(options, paths), options.execDir, { execAttach: true });
  let conmonPid: number;
  try {
    await conmon.attachReady(options.signal);
    await conmon.daemonized;
    conmonPid = await readPidFile(join(options.execDir, 'conmon.pid'));
  } catch (err) {
    conmon.release();
    throw err;
  }
  let used = false;
  return {
    conmonPid,
    attachSocketPath: join(options.execDir, 'attach'), // = attachSocketPath(execDir), without loading the addon
    controlPath: terminalControlPath(options.execDir),
    async start(signal?: AbortSignal): Promise<RunningExec> {
      if (used) throw errors.failedPrecondition('exec-already-started', `exec in ${options.id}: start after start or cancel`);
      used = true;
      conmon.proceed();
      return runningExec(options.id, conmon, paths, signal ?? options.signal);
    },
    cancel(): void {
      if (used) return;
      used = true;
      // Before release: EOF on the start pipe would let conmon run the process. conmon's runtime
      // child (waiting for the start pipe) dies with it (PDEATHSIG).
      try {
        if (isProcessAlive(conmonPid)) process.kill(conmonPid, 'SIGKILL');
      } finally {
        conmon.release();
      }
    },
  };
}

async function runningExec(id: string, conmon: ConmonHandle, paths: { exitDir: string; logPath: string }, signal?: AbortSignal): Promise<RunningExec> {
  let pid: number;
  try {
    const { data, message } = await conmon.nextMessage(signal);
    if (data < 0) throw launchFailure(`exec in ${id}`, data, message, 'exec-failed', { id });
    pid = data;
  } catch (err) {
    conmon.release();
    throw err;
  }
  let waited = false;
  return {
    pid, logPath: paths.logPath, exitDir: paths.exitDir,
    async wait(waitSignal?: AbortSignal): Promise<number> {
      if (waited) throw errors.failedPrecondition('exec-already-waited', `exec ${pid} in ${id}: wait called twice`);
      waited = true;
      try {
        const { data, message } = await conmon.nextMessage(waitSignal);
        if (message !== undefined && data < 0) throw errors.internal('exec-failed', `exec in ${id}: ${message}`);
        return data;
      } finally {
        conmon.release();
      }
    },
  };
}

/**
 * Starts the exec and resolves once its process runs (prepareExec + start, for callers that do not
 * attach; output then only reaches the log). Throws internal (`exec-failed`, runc's message) when
 * runc cannot start it (e.g. the container is not running), and as prepareExec.
 */
export async function startExec(options: ExecOptions): Promise<RunningExec> {
  return (await prepareExec(options)).start(options.signal);
}
