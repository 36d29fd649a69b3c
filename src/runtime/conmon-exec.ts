/**
 * Runs an extra process in a running container through conmon (`-e --exec-process-spec`), as
 * Podman does: conmon runs `runc exec`, logs the process's output in k8s-file format and reports
 * on the sync pipe first the process's pid, then its exit code. The exit file is named after the
 * container id, so every exec gets its own directory (`execDir`) for exits, persist data and cwd.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../base/errors.js';
import { startConmon, type ConmonHandle } from './conmon-process.js';

export interface ExecOptions {
  /** The running container. */
  id: string;
  bundleDir: string;
  runtimeRoot: string;
  runcPath: string;
  conmonPath: string;
  /** The OCI `process` object of the exec (args, env, cwd, user, capabilities...). */
  process: Record<string, unknown>;
  /** A fresh directory for this exec (created if missing): spec, log, exit dir, persist dir. */
  execDir: string;
  socketDir: string;
  /** Bounds the wait for `runc exec` to start the process. */
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
 * Starts the exec and resolves once its process runs. Throws internal (`exec-failed`, runc's
 * message) when runc cannot start it (e.g. the container is not running), internal
 * (`conmon-failed`) or not-found (`conmon-not-found`) as launchContainer. Execs of one container
 * may run concurrently, each with its own execDir.
 */
export async function startExec(options: ExecOptions): Promise<RunningExec> {
  const exitDir = join(options.execDir, 'exits');
  const persistDir = join(options.execDir, 'persist');
  const logPath = join(options.execDir, 'exec.log');
  const specPath = join(options.execDir, 'process.json');
  for (const dir of [exitDir, persistDir, options.socketDir]) await mkdir(dir, { recursive: true });
  await writeFile(specPath, JSON.stringify({ terminal: false, ...options.process }));
  const args = [
    '--api-version', '1',
    '-c', options.id,
    '-u', randomUUID(),
    '-r', options.runcPath,
    '-b', options.bundleDir,
    '-p', join(options.execDir, 'pid'),
    '-l', `k8s-file:${logPath}`,
    '--exit-dir', exitDir,
    '--persist-dir', persistDir,
    '--socket-dir-path', options.socketDir,
    '-e', '--exec-process-spec', specPath,
    '--runtime-arg', '--root', '--runtime-arg', options.runtimeRoot,
  ];
  const conmon: ConmonHandle = startConmon(options.conmonPath, args, options.execDir);
  let pid: number;
  try {
    const { data, message } = await conmon.nextMessage(options.signal);
    if (data < 0) throw errors.internal('exec-failed', `exec in ${options.id}: ${message ?? `runtime failed (${data})`}`);
    pid = data;
  } catch (err) {
    conmon.release();
    throw err;
  }
  let waited = false;
  return {
    pid, logPath, exitDir,
    async wait(signal?: AbortSignal): Promise<number> {
      if (waited) throw errors.failedPrecondition('exec-already-waited', `exec ${pid} in ${options.id}: wait called twice`);
      waited = true;
      try {
        const { data, message } = await conmon.nextMessage(signal);
        if (message !== undefined && data < 0) throw errors.internal('exec-failed', `exec in ${options.id}: ${message}`);
        return data;
      } finally {
        conmon.release();
      }
    },
  };
}
