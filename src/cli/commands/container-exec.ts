/** `exec` and `attach`: hijacked sessions with an already running container. */
import type { GlobalOptions } from '../args/command-spec.js';
import { errors } from '../../base/errors.js';
import { setExitStatus, withClient } from '../context.js';
import { proxySignals } from '../signal-proxy.js';
import { streamSession } from '../stdio-session.js';
import { followTerminalSize, terminalSize } from '../terminal.js';
import { envList } from './create-config.js';

export interface ExecFlags {
  interactive?: boolean;
  tty?: boolean;
  detach?: boolean;
  env: string[];
  user?: string;
  workdir?: string;
  privileged?: boolean;
  detachKeys?: string;
}

/** `berth exec [flags] CONTAINER COMMAND [ARG...]`: exits with the command's exit code. */
export async function execAction(globals: GlobalOptions, target: string, args: string[], flags: ExecFlags): Promise<void> {
  const detach = flags.detach === true;
  const tty = flags.tty === true;
  const stdin = flags.interactive === true && !detach;
  if (tty && stdin && !process.stdin.isTTY) throw errors.invalidArgument('stdin-not-a-tty', 'the input device is not a TTY (drop -t, or run from a terminal)');
  await withClient(globals, async (client) => {
    const id = await client.execs.create(target, {
      Cmd: args,
      Tty: tty,
      AttachStdin: stdin,
      AttachStdout: !detach,
      AttachStderr: !detach,
      Privileged: flags.privileged === true,
      ...(flags.env.length > 0 ? { Env: envList(flags.env, process.env) } : {}),
      ...(flags.user === undefined ? {} : { User: flags.user }),
      ...(flags.workdir === undefined ? {} : { WorkingDir: flags.workdir }),
      ...(flags.detachKeys === undefined ? {} : { DetachKeys: flags.detachKeys }),
    });
    if (detach) {
      await client.execs.startDetached(id, tty);
      return;
    }
    const size = tty ? terminalSize() : undefined;
    const stream = await client.execs.startAttached(id, tty, size);
    const stopResizing = tty ? followTerminalSize((rows, columns) => client.execs.resize(id, rows, columns)) : () => undefined;
    try {
      const end = await streamSession(stream, { stdin, ...(flags.detachKeys === undefined ? {} : { detachKeys: flags.detachKeys }) });
      if (end === 'detached') return;
    } finally {
      stopResizing();
    }
    const inspected = await client.execs.inspect(id);
    setExitStatus(inspected.ExitCode ?? 0);
  });
}

export interface AttachFlags {
  stdin: boolean;
  detachKeys?: string;
  sigProxy?: boolean;
}

/** `berth attach CONTAINER`: the running container's stdio until it exits (its exit code) or a detach. */
export async function attachAction(globals: GlobalOptions, target: string, flags: AttachFlags): Promise<void> {
  await withClient(globals, async (client) => {
    const container = await client.containers.inspect(target);
    if (container.State.Paused) throw errors.conflict('container-paused', 'You cannot attach to a paused container, unpause it first');
    if (!container.State.Running) throw errors.conflict('container-not-running', 'You cannot attach to a stopped container, start it first');
    const tty = container.Config.Tty;
    const stdin = flags.stdin && container.Config.OpenStdin;
    if (tty && stdin && !process.stdin.isTTY) throw errors.invalidArgument('stdin-not-a-tty', 'the input device is not a TTY');
    const aborter = new AbortController();
    const waiting = client.containers.wait(container.Id, 'not-running', aborter.signal);
    // Awaited unless the client detaches; then the wait is aborted and its end is of no interest.
    waiting.result.catch(() => undefined);
    const detachKeys = flags.detachKeys === undefined ? {} : { detachKeys: flags.detachKeys };
    // A refused attach (403) must not leave the wait holding the process until the container exits.
    const stream = await client.containers.attach(container.Id, { stdin, tty, ...detachKeys }).catch((err: unknown) => { aborter.abort(); throw err; });
    const stopResizing = tty ? followTerminalSize((rows, columns) => client.containers.resize(container.Id, rows, columns)) : () => undefined;
    const stopProxy = flags.sigProxy !== false && !tty ? proxySignals((signal) => client.containers.kill(container.Id, signal)) : () => undefined;
    try {
      if (await streamSession(stream, { stdin, ...detachKeys }) === 'detached') {
        aborter.abort();
        return;
      }
      setExitStatus((await waiting.result).StatusCode);
    } finally {
      aborter.abort();
      stopResizing();
      stopProxy();
    }
  });
}
