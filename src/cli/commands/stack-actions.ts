/**
 * The `stack` verbs: a compose file loaded and checked as `berth compose` loads it (project name:
 * the stack's), converted to cluster objects (compose/stack-spec.ts) and deployed through the
 * manager (compose/stack-deploy.ts); `ls`, `services`, `ps` and `rm` find a stack's objects by
 * their `com.docker.stack.namespace` label, as the docker CLI does, so each tool sees the other's
 * stacks. Progress goes to stdout as docker's does; warnings to stderr.
 */
import { errors } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import { loadProject } from '../../compose/project-loader.js';
import { deployStack, removeStack, stackFilter } from '../../compose/stack-deploy.js';
import { checkStackName, planStack, STACK_LABELS } from '../../compose/stack-spec.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { forEachTarget, outputFormat, printJson, withClient } from '../context.js';
import { renderTable, shortId } from '../format.js';
import { parseFilters } from './container-list.js';
import { waitForConvergence } from './service-converge.js';
import { isJob } from './service-job-mode.js';
import { SERVICE_HEADERS, serviceRows, taskListing } from './service-output.js';
import { waitForUpdate } from './service-update-wait.js';

export interface StackDeployFlags { composeFile: string[]; prune?: boolean; detach?: boolean }
export interface StackListFlags { format?: string }
export interface StackServicesFlags { quiet?: boolean; filter: string[]; format?: string }
export interface StackPsFlags { quiet?: boolean; filter: string[]; format?: string; trunc?: boolean }

const line = (text: string): void => { process.stdout.write(`${text}\n`); };

/** `filters` (from -f) with the stack's label added to any the user gave. */
function withStack(filters: Record<string, string[]>, stack: string): Record<string, string[]> {
  return { ...filters, label: [...(filters.label ?? []), ...(stackFilter(stack).label ?? [])] };
}

export async function deployAction(globals: GlobalOptions, stack: string, flags: StackDeployFlags): Promise<void> {
  checkStackName(stack);
  if (flags.composeFile.length === 0) throw errors.invalidArgument('stack-no-file', 'Please specify a Compose file (with --compose-file)');
  const { project } = await loadProject({ files: flags.composeFile, projectName: stack, envFiles: [], profiles: [], env: process.env, cwd: process.cwd() });
  const plan = planStack(project, stack);
  for (const warning of plan.warnings) process.stderr.write(`${warning}\n\n`);
  await withClient(globals, async (client) => {
    const deployed = await deployStack(client, plan, { prune: flags.prune === true }, line);
    if (flags.detach !== false) return;
    const out = { out: process.stderr, tty: process.stderr.isTTY };
    for (const service of deployed) {
      if (service.outcome === 'unchanged') continue;
      if (service.outcome === 'updated' && service.rollsTasks && !(await isJobService(client, service.id))) await waitForUpdate(client.cluster, service.id, { ...out, rollback: false });
      else await waitForConvergence(client.cluster, service.id, out);
    }
  });
}

async function isJobService(client: BerthClient, id: string): Promise<boolean> {
  return isJob((await client.cluster.inspectService(id)).Spec.Mode);
}

export async function listAction(globals: GlobalOptions, flags: StackListFlags): Promise<void> {
  const format = outputFormat(flags.format);
  await withClient(globals, async (client) => {
    const services = await client.cluster.listServices({ label: [STACK_LABELS.namespace] });
    const counts = new Map<string, number>();
    for (const service of services) {
      const stack = service.Spec.Labels[STACK_LABELS.namespace] ?? '';
      counts.set(stack, (counts.get(stack) ?? 0) + 1);
    }
    const stacks = [...counts].sort(([a], [b]) => a.localeCompare(b));
    if (format === 'json') printJson(stacks.map(([name, count]) => ({ Name: name, Services: count })));
    else process.stdout.write(`${renderTable(['NAME', 'SERVICES'], stacks.map(([name, count]) => [name, String(count)]))}\n`);
  });
}

export async function servicesAction(globals: GlobalOptions, stack: string, flags: StackServicesFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const filters = withStack(parseFilters(flags.filter), stack);
  await withClient(globals, async (client) => {
    const services = await client.cluster.listServices(filters, true);
    if (format === 'json') printJson(services);
    else if (services.length === 0) process.stderr.write(`Nothing found in stack: ${stack}\n`);
    else if (flags.quiet === true) process.stdout.write(services.map((s) => `${shortId(s.ID)}\n`).join(''));
    else process.stdout.write(`${renderTable(SERVICE_HEADERS, serviceRows(services))}\n`);
  });
}

export async function psAction(globals: GlobalOptions, stack: string, flags: StackPsFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const filters = withStack(parseFilters(flags.filter), stack);
  const trunc = flags.trunc !== false;
  await withClient(globals, async (client) => {
    const [tasks, services, nodes] = await Promise.all([
      client.cluster.listTasks(filters),
      client.cluster.listServices(stackFilter(stack)),
      client.cluster.listNodes(),
    ]);
    if (format === 'json') {
      printJson(tasks);
      return;
    }
    if (tasks.length === 0) throw errors.notFound('stack-not-found', `nothing found in stack: ${stack}`);
    process.stdout.write(taskListing(tasks, services, nodes, { quiet: flags.quiet === true, trunc }));
  });
}

export async function removeAction(globals: GlobalOptions, stacks: string[]): Promise<void> {
  await withClient(globals, (client) => forEachTarget(stacks, (stack) => removeStack(client, stack, line, (problem) => { process.stderr.write(`${problem}\n`); })));
}
