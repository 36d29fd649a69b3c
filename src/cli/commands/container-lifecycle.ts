/**
 * `stop`, `kill`, `restart`, `pause`, `unpause`, `rm`, `wait`, `container prune`: one call per
 * container named, in order; each success prints the name as given (wait: the exit code), a
 * failure is printed and the rest still run (context.ts forEachTarget).
 */
import type { GlobalOptions } from '../args/command-spec.js';
import { errors } from '../../base/errors.js';
import { forEachTarget, withClient } from '../context.js';
import { humanSize } from '../format.js';

/** `-t 10` / `--timeout 10` → seconds (-1: wait forever). Throws invalid-argument. */
export function timeoutSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n)) throw errors.invalidArgument('invalid-flag', `--timeout ${value}: not a whole number of seconds`);
  return n;
}

export interface StopFlags {
  time?: string;
  timeout?: string;
  signal?: string;
}

function stopOptions(flags: StopFlags): { timeoutS?: number; signal?: string } {
  const timeoutS = timeoutSeconds(flags.timeout ?? flags.time);
  return { ...(timeoutS === undefined ? {} : { timeoutS }), ...(flags.signal === undefined ? {} : { signal: flags.signal }) };
}

/** `stop`: stop signal, then SIGKILL after the timeout; an already stopped container is fine. */
export async function stopAction(globals: GlobalOptions, targets: string[], flags: StopFlags): Promise<void> {
  const options = stopOptions(flags);
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    await client.containers.stop(target, options);
    process.stdout.write(`${target}\n`);
  }));
}

/** `restart`: stop (if running), then start. */
export async function restartAction(globals: GlobalOptions, targets: string[], flags: StopFlags): Promise<void> {
  const options = stopOptions(flags);
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    await client.containers.restart(target, options);
    process.stdout.write(`${target}\n`);
  }));
}

/** `kill`: one signal; a container that is not running is a conflict. */
export async function killAction(globals: GlobalOptions, targets: string[], flags: { signal?: string }): Promise<void> {
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    await client.containers.kill(target, flags.signal);
    process.stdout.write(`${target}\n`);
  }));
}

/** `pause` (`pause` true) or `unpause`: freeze or thaw every process; the wrong state is a conflict. */
export async function pauseAction(globals: GlobalOptions, targets: string[], pause: boolean): Promise<void> {
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    await (pause ? client.containers.pause(target) : client.containers.unpause(target));
    process.stdout.write(`${target}\n`);
  }));
}

/** `rm`: a running container needs `--force` (conflict otherwise). */
export async function removeAction(globals: GlobalOptions, targets: string[], flags: { force?: boolean; volumes?: boolean }): Promise<void> {
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    await client.containers.remove(target, { force: flags.force === true, volumes: flags.volumes === true });
    process.stdout.write(`${target}\n`);
  }));
}

/** Prints each container's exit code once it stops (at once for one that is not running). */
export async function waitAction(globals: GlobalOptions, targets: string[]): Promise<void> {
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    const status = await client.containers.wait(target, 'not-running').result;
    process.stdout.write(`${status.StatusCode}\n`);
  }));
}

/** `container prune`: removes the stopped containers, lists their IDs. */
export async function pruneAction(globals: GlobalOptions): Promise<void> {
  await withClient(globals, async (client) => {
    const { ContainersDeleted, SpaceReclaimed } = await client.containers.prune();
    if ((ContainersDeleted ?? []).length > 0) process.stdout.write(`Deleted Containers:\n${(ContainersDeleted ?? []).map((id) => `${id}\n`).join('')}\n`);
    process.stdout.write(`Total reclaimed space: ${humanSize(SpaceReclaimed)}\n`);
  });
}
