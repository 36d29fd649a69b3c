/** `rename` and `update` (live resource limits). */
import type { GlobalOptions } from '../args/command-spec.js';
import type { ContainerUpdate } from '../../wire/containers.js';
import { forEachTarget, withClient } from '../context.js';
import type { ResourceFlags } from './container-flags.js';
import { resourceFields } from './create-config.js';
import { lifecycleFields } from './lifecycle-flags.js';
import { errors } from '../../base/errors.js';

export interface UpdateFlags extends ResourceFlags {
  restart?: string;
}

/**
 * The update body of the flags given (undefined fields are not sent: they stay as they are).
 * Throws invalid-argument naming the flag, or (`nothing-to-update`) when no flag was given.
 */
export function updateBody(flags: UpdateFlags): ContainerUpdate {
  const body: ContainerUpdate = { ...resourceFields(flags) };
  const policy = lifecycleFields(flags.restart === undefined ? {} : { restart: flags.restart }, undefined).RestartPolicy;
  if (policy !== undefined) body.RestartPolicy = policy;
  if (Object.values(body).every((value: unknown) => value === undefined)) {
    throw errors.invalidArgument('nothing-to-update', 'update: give a resource flag (--memory, --cpus, …) or --restart');
  }
  return body;
}

/** `update [flags] CONTAINER...`: prints each container updated. */
export async function updateAction(globals: GlobalOptions, targets: string[], flags: UpdateFlags): Promise<void> {
  const body = updateBody(flags);
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    await client.containers.update(target, body);
    process.stdout.write(`${target}\n`);
  }));
}

/** `rename CONTAINER NEW_NAME`. */
export async function renameAction(globals: GlobalOptions, target: string, name: string): Promise<void> {
  await withClient(globals, (client) => client.containers.rename(target, name));
}
