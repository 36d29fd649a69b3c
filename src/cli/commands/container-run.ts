/** `run`, `create` and `start`: create from flags, start detached or attached. */
import type { GlobalOptions } from '../args/command-spec.js';
import { errors, isBerthError } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import type { ContainerCreateConfig } from '../../wire/containers.js';
import { forEachTarget, setExitStatus, withClient } from '../context.js';
import { terminalSize } from '../terminal.js';
import type { CreateFlags } from './container-flags.js';
import { createConfigFromFlags } from './create-config.js';

async function imageExists(client: BerthClient, image: string): Promise<boolean> {
  return client.images.inspect(image).then(() => true, (err: unknown) => {
    if (isBerthError(err, 'not-found')) return false;
    throw err;
  });
}

/** Creates the container; a missing image is said so plainly (berth does not pull yet). */
async function createContainer(client: BerthClient, config: ContainerCreateConfig, name: string | undefined): Promise<string> {
  try {
    const created = await client.containers.create(config, name);
    for (const warning of created.Warnings ?? []) process.stderr.write(`WARNING: ${warning}\n`);
    return created.Id;
  } catch (err) {
    if (isBerthError(err, 'not-found') && !(await imageExists(client, config.Image))) {
      throw errors.notFound('image-not-found',
        `Unable to find image '${config.Image}' locally, and berth cannot pull from registries yet: load it (berth load -i FILE) or make one (berth image bootstrap busybox)`,
        { cause: err });
    }
    throw err;
  }
}

/** The body for the flags; with -t, the size of this terminal, so the container's TTY starts with it. */
function configOf(image: string, args: string[], flags: CreateFlags): ContainerCreateConfig {
  const config = createConfigFromFlags(image, args, flags, process.env);
  const size = flags.tty === true ? terminalSize() : undefined;
  if (size !== undefined && size[0] > 0 && size[1] > 0) config.HostConfig = { ...config.HostConfig, ConsoleSize: size };
  return config;
}

/** `berth run [flags] IMAGE [COMMAND [ARG...]]`. */
export async function runAction(globals: GlobalOptions, image: string, args: string[], flags: CreateFlags): Promise<void> {
  const config = configOf(image, args, flags);
  const detach = flags.detach === true;
  const tty = flags.tty === true;
  const interactive = flags.interactive === true;
  if (!detach && tty && interactive && !process.stdin.isTTY) {
    throw errors.invalidArgument('stdin-not-a-tty', 'the input device is not a TTY (drop -t, or run from a terminal)');
  }
  await withClient(globals, async (client) => {
    // The attach machinery loads while the daemon creates the container.
    const [id, { failedStart, runAttached }] = await Promise.all([createContainer(client, config, flags.name), import('../attached-run.js')]);
    if (detach) {
      try {
        await client.containers.start(id);
      } catch (err) {
        setExitStatus(await failedStart(client, id, err, flags.rm === true));
        return;
      }
      process.stdout.write(`${id}\n`);
      return;
    }
    setExitStatus(await runAttached(client, id, {
      tty, stdin: interactive, autoRemove: flags.rm === true, sigProxy: flags.sigProxy !== false,
      ...(flags.detachKeys === undefined ? {} : { detachKeys: flags.detachKeys }),
    }));
  });
}

/** `berth create [flags] IMAGE [COMMAND [ARG...]]`: prints the new container's ID. */
export async function createAction(globals: GlobalOptions, image: string, args: string[], flags: CreateFlags): Promise<void> {
  const config = configOf(image, args, flags);
  await withClient(globals, async (client) => {
    process.stdout.write(`${await createContainer(client, config, flags.name)}\n`);
  });
}

export interface StartFlags {
  attach?: boolean;
  interactive?: boolean;
  detachKeys?: string;
}

/** `berth start [-a] [-i] CONTAINER...`: attached, one container and its exit code; else each started. */
export async function startAction(globals: GlobalOptions, targets: string[], flags: StartFlags): Promise<void> {
  await withClient(globals, async (client) => {
    if (flags.attach !== true && flags.interactive !== true) {
      await forEachTarget(targets, async (target) => {
        await client.containers.start(target);
        process.stdout.write(`${target}\n`);
      });
      return;
    }
    const [target, ...others] = targets;
    if (target === undefined || others.length > 0) throw errors.invalidArgument('one-container', 'you cannot start and attach multiple containers at once');
    const [container, { runAttached }] = await Promise.all([client.containers.inspect(target), import('../attached-run.js')]);
    const tty = container.Config.Tty;
    const stdin = flags.interactive === true && container.Config.OpenStdin;
    if (tty && stdin && !process.stdin.isTTY) throw errors.invalidArgument('stdin-not-a-tty', 'the input device is not a TTY');
    setExitStatus(await runAttached(client, container.Id, {
      tty, stdin, autoRemove: container.HostConfig.AutoRemove, sigProxy: !tty,
      ...(flags.detachKeys === undefined ? {} : { detachKeys: flags.detachKeys }),
    }));
  });
}
