/** `rename` and `update --restart`: changes of a container that need no run. */
import type { GlobalOptions } from '../args/command-spec.js';
import { errors } from '../../base/errors.js';
import { forEachTarget, withClient } from '../context.js';
import { lifecycleFields } from './lifecycle-flags.js';

export async function renameAction(globals: GlobalOptions, target: string, name: string): Promise<void> {
  await withClient(globals, (client) => client.containers.rename(target, name));
}

/** `update --restart POLICY`: prints each container as given once changed. */
export async function updateAction(globals: GlobalOptions, targets: string[], flags: { restart?: string }): Promise<void> {
  const policy = lifecycleFields({ ...(flags.restart === undefined ? {} : { restart: flags.restart }) }, undefined).RestartPolicy;
  if (policy === undefined) throw errors.invalidArgument('nothing-to-update', 'update: give --restart (berth changes only the restart policy so far)');
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    await client.containers.update(target, policy);
    process.stdout.write(`${target}\n`);
  }));
}
