/**
 * The `service` verbs: flags → the cluster client → Docker's output. A service reference is an
 * id, an id prefix or a name (berthd's `GET /services/{ref}` resolves it). `create` and `scale`
 * wait for the tasks to run unless `--detach` (service-converge.ts); progress goes to stderr.
 */
import { errors } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { forEachTarget, outputFormat, printJson, withClient } from '../context.js';
import { renderTable, shortId } from '../format.js';
import { goDurationMs } from '../time-arg.js';
import { inspectObjects, type ClusterInspectFlags } from './cluster-inspect.js';
import { parseFilters } from './container-list.js';
import { waitForConvergence } from './service-converge.js';
import { serviceSpecFromFlags, type ServiceCreateFlags } from './service-flags.js';
import { SERVICE_HEADERS, servicePretty, serviceRows, taskListing } from './service-output.js';
import { parseScaleArgs, scaledMode } from './service-scale.js';

export interface ServiceListFlags { quiet?: boolean; filter: string[]; format?: string }
export interface ServicePsFlags { quiet?: boolean; filter: string[]; format?: string; trunc?: boolean }

/** `--timeout 2m` → milliseconds (undefined: wait as long as the tasks make progress). */
export function timeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = goDurationMs(value);
  if (ms === undefined) throw errors.invalidArgument('invalid-flag', `--timeout ${value}: want a duration such as 30s or 2m`);
  return ms;
}

function converge(client: BerthClient, id: string, timeout: number | undefined): Promise<void> {
  return waitForConvergence(client.cluster, id, { out: process.stderr, tty: process.stderr.isTTY, ...(timeout === undefined ? {} : { timeoutMs: timeout }) });
}

function warn(warnings: string[] | null): void {
  for (const warning of warnings ?? []) process.stderr.write(`WARNING: ${warning}\n`);
}

export async function createAction(globals: GlobalOptions, image: string, args: string[], flags: ServiceCreateFlags): Promise<void> {
  const spec = serviceSpecFromFlags(image, args, flags, process.env);
  const timeout = timeoutMs(flags.timeout);
  await withClient(globals, async (client) => {
    const created = await client.cluster.createService(spec);
    warn(created.Warnings);
    process.stdout.write(`${created.ID}\n`);
    if (flags.detach !== true) await converge(client, created.ID, timeout);
  });
}

export async function listAction(globals: GlobalOptions, flags: ServiceListFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const filters = parseFilters(flags.filter);
  await withClient(globals, async (client) => {
    const services = await client.cluster.listServices(filters, true);
    if (format === 'json') printJson(services);
    else if (flags.quiet === true) process.stdout.write(services.map((s) => `${shortId(s.ID)}\n`).join(''));
    else process.stdout.write(`${renderTable(SERVICE_HEADERS, serviceRows(services))}\n`);
  });
}

export async function psAction(globals: GlobalOptions, refs: string[], flags: ServicePsFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const filters = parseFilters(flags.filter);
  const trunc = flags.trunc !== false;
  await withClient(globals, async (client) => {
    const services = await Promise.all(refs.map((ref) => client.cluster.inspectService(ref)));
    const [tasks, nodes] = await Promise.all([
      client.cluster.listTasks({ ...filters, service: services.map((s) => s.ID) }),
      client.cluster.listNodes(),
    ]);
    if (format === 'json') printJson(tasks);
    else process.stdout.write(taskListing(tasks, services, nodes, { quiet: flags.quiet === true, trunc }));
  });
}

export async function inspectAction(globals: GlobalOptions, refs: string[], flags: ClusterInspectFlags): Promise<void> {
  await withClient(globals, (client) => inspectObjects(refs, flags, (ref) => client.cluster.inspectService(ref), servicePretty));
}

/** `service scale web=3 api=2`: each read, refused when global, updated at the version read (a replicated job's completions: a new run); then waited for unless detached. */
export async function scaleAction(globals: GlobalOptions, pairs: string[], detach: boolean): Promise<void> {
  const targets = parseScaleArgs(pairs);
  await withClient(globals, async (client) => {
    const scaled: string[] = [];
    await forEachTarget(targets.map((t) => t.service), async (ref) => {
      const replicas = targets.find((t) => t.service === ref)?.replicas ?? 0;
      const service = await client.cluster.inspectService(ref);
      const mode = scaledMode(service.Spec.Mode, replicas, ref);
      warn((await client.cluster.updateService(service.ID, service.Version.Index, { ...service.Spec, Mode: mode })).Warnings);
      process.stdout.write(`${ref} scaled to ${replicas}\n`);
      scaled.push(service.ID);
    });
    if (!detach) for (const id of scaled) await converge(client, id, undefined);
  });
}

export async function removeAction(globals: GlobalOptions, refs: string[]): Promise<void> {
  await withClient(globals, (client) => forEachTarget(refs, async (ref) => {
    await client.cluster.removeService(ref);
    process.stdout.write(`${ref}\n`);
  }));
}
