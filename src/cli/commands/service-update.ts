/**
 * `berth service update` and `berth service rollback`: the flags applied to the service's current
 * spec (service-update-flags.ts) and sent at the version read; `--rollback` and `service
 * rollback` ask berthd to restore the previous spec. Then, unless `--detach` (the default when
 * stderr is no terminal, unless `--wait`), the rolling of the tasks is followed to its end
 * (service-update-wait.ts): the command fails when the update paused or rolled back.
 * An update that changes nothing is refused ("nothing to update"; `--force` rolls the tasks anyway).
 * A job's update starts a new run (unless it is scheduled), which is followed to its end instead.
 */
import { errors, isBerthError } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { withClient } from '../context.js';
import { applyUpdateFlags, type ServiceUpdateFlags } from './service-update-flags.js';
import { waitForUpdate } from './service-update-wait.js';
import { waitForConvergence } from './service-converge.js';
import { isJob } from './service-job-mode.js';

/** Whether to follow the update: `--detach` never, `--wait` always, else on a terminal. */
function follows(flags: { detach?: boolean; wait?: boolean }): boolean {
  if (flags.detach === true) return false;
  return flags.wait === true || process.stderr.isTTY;
}

function warn(warnings: string[] | null): void {
  for (const warning of warnings ?? []) process.stderr.write(`WARNING: ${warning}\n`);
}

export async function updateAction(globals: GlobalOptions, ref: string, flags: ServiceUpdateFlags): Promise<void> {
  if (flags.rollback === true) {
    await rollbackAction(globals, ref, flags);
    return;
  }
  await withClient(globals, async (client) => {
    const service = await client.cluster.inspectService(ref);
    const update = applyUpdateFlags(service.Spec, flags, process.env, await networkIds(client, [...flags.networkRm ?? [], ...flags.networkAdd ?? []]));
    if (!update.changed) throw errors.invalidArgument('nothing-to-update', `service ${service.Spec.Name}: nothing to update (no flag changes its spec; --force replaces its tasks anyway)`);
    warn((await client.cluster.updateService(service.ID, service.Version.Index, update.spec)).Warnings);
    process.stdout.write(`${ref}\n`);
    if (!follows(flags)) return;
    const out = { out: process.stderr, tty: process.stderr.isTTY };
    // A job has no rolling update: its update starts a new run, followed to its end.
    if (update.rollsTasks && !isJob(service.Spec.Mode)) await waitForUpdate(client.cluster, service.ID, { ...out, rollback: false });
    else await waitForConvergence(client.cluster, service.ID, out);
  });
}

/** The ids of the networks named (a spec holds ids); a name that is no network is left to fail where it is used. */
async function networkIds(client: BerthClient, values: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const value of values) {
    const name = value.includes('=') ? /(?:^|,)(?:name|target)=([^,]+)/.exec(value)?.[1] ?? value : value;
    const network = await client.networks.inspect(name).catch((err: unknown) => { if (isBerthError(err, 'not-found')) return undefined; throw err; });
    if (network !== undefined) ids.set(name, network.Id);
  }
  return ids;
}

/** `service promote`: the canary goes on; followed to the update's end like an update. */
export async function promoteAction(globals: GlobalOptions, ref: string, flags: { detach?: boolean; wait?: boolean }): Promise<void> {
  await withClient(globals, async (client) => {
    const service = await client.cluster.promoteService(ref);
    process.stdout.write(`${ref}\n`);
    if (follows(flags)) await waitForUpdate(client.cluster, service.ID, { out: process.stderr, tty: process.stderr.isTTY, rollback: false });
  });
}

export async function rollbackAction(globals: GlobalOptions, ref: string, flags: { detach?: boolean; wait?: boolean }): Promise<void> {
  await withClient(globals, async (client) => {
    const service = await client.cluster.inspectService(ref);
    if (service.PreviousSpec === undefined) throw errors.failedPrecondition('no-previous-spec', `service ${service.Spec.Name} does not have a previous spec`);
    warn((await client.cluster.updateService(service.ID, service.Version.Index, service.Spec, { rollback: true })).Warnings);
    process.stdout.write(`${ref}\n`);
    if (follows(flags)) await waitForUpdate(client.cluster, service.ID, { out: process.stderr, tty: process.stderr.isTTY, rollback: true });
  });
}
