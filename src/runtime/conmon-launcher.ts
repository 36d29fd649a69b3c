/**
 * Creates a container under a new conmon (HOST-NOTES, conmon): conmon runs `runc create`, reports
 * the container's pid on the sync pipe and stays behind as the container's monitor — it holds the
 * container's stdio, writes the k8s-file log and the exit file, and outlives berth.
 * The container is then `created`; `RuncCli.start` runs the user's process.
 *
 * stdio: without `terminal`, the container gets pipes (stdout and stderr apart) and, with `stdin`,
 * a stdin pipe that conmon feeds from attach clients (`attach-socket.ts`). With `terminal`, conmon
 * hands runc a console socket, keeps the pty's master and logs everything as stdout; the size is
 * set through the `ctl` FIFO (`terminal-resize.ts`). Both live in the bundle dir.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors, isBerthError } from '../base/errors.js';
import { startConmon } from './conmon-process.js';
import { launchFailure } from './launch-failure.js';

export interface LaunchContainerOptions {
  id: string;
  /** OCI bundle with config.json (conmon also puts its `attach` socket and `ctl`/`winsz` fifos here). */
  bundleDir: string;
  /** runc's `--root`. */
  runtimeRoot: string;
  runcPath: string;
  conmonPath: string;
  /** k8s-file log of the container's stdout/stderr. */
  logPath: string;
  /** Bytes after which conmon truncates the log; -1 for no limit. */
  logSizeMax: number;
  /** `none`: conmon keeps no log (attach clients still get the output). Default k8s-file. */
  logDriver?: 'k8s-file' | 'none';
  /** conmon writes the exit code to `<exitDir>/<id>`. */
  exitDir: string;
  /** Per-container dir: conmon writes `exit` and `oom` here. */
  persistDir: string;
  /**
   * conmon makes `<socketDir>/<uuid>` a symlink to the bundle dir (one byte shorter when it would be
   * 107 bytes long), so the attach socket is `<socketDir>/<uuid>/attach` = `<bundleDir>/attach`.
   */
  socketDir: string;
  /** runc writes the container's host pid here. */
  pidFile: string;
  /** conmon writes its own (daemonized) pid here. */
  conmonPidFile: string;
  /** Per-container working dir for conmon (it leaves a stray `oom` file in its cwd). */
  workDir: string;
  /** Container name for conmon's logs (default: the id). */
  name?: string;
  /** Attach-socket uuid (default: random). */
  uuid?: string;
  /**
   * Allocate a pty (conmon `-t`); must equal `process.terminal` in the bundle's config.json.
   * Output then arrives as stdout only (attach and log), with `\r\n` line ends.
   */
  terminal: boolean;
  /**
   * Give the container a stdin that attach clients write to (conmon `-i`). Without it the
   * container's stdin is /dev/null; with a terminal it is the pty, and conmon still passes what
   * attach clients send into it (do not forward a client's stdin then).
   */
  stdin: boolean;
  /**
   * Docker's StdinOnce: when the first attach client disconnects or half-closes, conmon closes the
   * container's stdin (EOF on a pipe; with a terminal conmon drops its pty input end: no EOF, the
   * process keeps running, and later clients' input goes nowhere). Otherwise (default) conmon gets
   * `--leave-stdin-open` and stdin stays open across attach sessions.
   */
  stdinOnce?: boolean;
  /** Bounds the wait for `runc create`. */
  signal?: AbortSignal;
}

export interface LaunchedContainer {
  /** Host pid of the container's init process. */
  pid: number;
  /** Host pid of the daemonized conmon. */
  conmonPid: number;
  uuid: string;
}

/** conmon's command line for creating a container (exported for tests). */
export function conmonCreateArgs(o: LaunchContainerOptions, uuid: string): string[] {
  return [
    '--api-version', '1',
    '-c', o.id,
    '-u', uuid,
    '-n', o.name ?? o.id,
    '-r', o.runcPath,
    '-b', o.bundleDir,
    '-p', o.pidFile,
    '-P', o.conmonPidFile,
    ...(o.logDriver === 'none' ? ['-l', 'none'] : ['-l', `k8s-file:${o.logPath}`, '--log-size-max', String(o.logSizeMax)]),
    '--exit-dir', o.exitDir,
    '--persist-dir', o.persistDir,
    '--socket-dir-path', o.socketDir,
    '--runtime-arg', '--root', '--runtime-arg', o.runtimeRoot,
    ...(o.terminal ? ['-t'] : []),
    ...(o.stdin ? ['-i'] : []),
    ...(o.stdin && o.stdinOnce !== true ? ['--leave-stdin-open'] : []),
  ];
}

/**
 * Checks that config.json's `process.terminal` matches `terminal` (runc refuses a mismatch with an
 * obscure message). Throws invalid-argument (`terminal-mismatch`, `bundle-config-invalid`).
 */
async function checkBundleTerminal(bundleDir: string, terminal: boolean): Promise<void> {
  const path = join(bundleDir, 'config.json');
  let config: unknown;
  try {
    config = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    if (errnoCode(cause) === 'ENOENT') throw errors.notFound('bundle-config-missing', `${path}: no config.json`, { cause });
    throw errors.invalidArgument('bundle-config-invalid', `${path}: not JSON`, { cause });
  }
  const proc = typeof config === 'object' && config !== null && 'process' in config ? config.process : undefined;
  const inSpec = typeof proc === 'object' && proc !== null && 'terminal' in proc && proc.terminal === true;
  if (inSpec !== terminal) {
    throw errors.invalidArgument('terminal-mismatch', `${path}: process.terminal is ${inSpec} but the launch asks for terminal ${terminal}`);
  }
}

/** Reads a pid file written by runc or conmon. */
export async function readPidFile(path: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (errnoCode(cause) === 'ENOENT') throw errors.notFound('pid-file-missing', `${path}: no pid file`, { cause });
    throw cause;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw errors.internal('pid-file-invalid', `${path}: not a pid: ${JSON.stringify(text)}`);
  return pid;
}

/**
 * Starts conmon for a new container and waits until runc has created it. With a terminal, the pty
 * exists when this resolves (resize it before `runc start` to give the process its first size).
 * Attach (`connectAttach(attachSocketPath(bundleDir))`) before `runc start` to see all output:
 * conmon forwards output only to clients attached when it reads it (the log gets everything).
 * Throws invalid-argument (`terminal-mismatch`, `bundle-config-invalid`) when config.json disagrees
 * with `terminal` or is not JSON, not-found (`bundle-config-missing`) without config.json, internal
 * (`container-create-failed`, runc's message in the text) when runc create fails — with reason
 * `executable-not-found` or `executable-not-permitted` when the command cannot be run — internal
 * (`conmon-failed`) when conmon exits before reporting, not-found (`conmon-not-found`) when
 * conmon is missing, canceled when `signal` aborts. On failure nothing of the container runs,
 * but the caller still runs `runc delete --force` and removes the dirs (runc may have left state).
 * Launches of different ids are safe concurrently; one id must not be launched twice.
 */
export async function launchContainer(options: LaunchContainerOptions): Promise<LaunchedContainer> {
  await checkBundleTerminal(options.bundleDir, options.terminal);
  for (const dir of [options.exitDir, options.persistDir, options.socketDir, options.workDir]) {
    await mkdir(dir, { recursive: true });
  }
  const uuid = options.uuid ?? randomUUID();
  const conmon = startConmon(options.conmonPath, conmonCreateArgs(options, uuid), options.workDir);
  try {
    const { data, message } = await conmon.nextMessage(options.signal);
    if (data < 0) throw launchFailure(`create ${options.id}`, data, message, 'container-create-failed', { id: options.id });
    return { pid: data, conmonPid: await readPidFile(options.conmonPidFile), uuid };
  } catch (err) {
    if (isBerthError(err)) throw err;
    throw errors.internal('container-create-failed', `create ${options.id}: launching conmon failed`, { cause: err });
  } finally {
    conmon.release();
  }
}
