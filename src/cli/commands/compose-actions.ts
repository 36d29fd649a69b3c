/** `berth compose` up, down, ps, config and ls: the project loaded from its files, then planned and carried out through berthd. */
import { stringify } from 'yaml';
import type { GlobalOptions } from '../args/command-spec.js';
import { errors } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import { LABELS, serviceConfigHash } from '../../compose/compose-labels.js';
import { executeDown } from '../../compose/down-executor.js';
import type { ComposeProject } from '../../compose/project-model.js';
import { observeState, projectContainers } from '../../compose/project-state.js';
import { realWaiter, waitForServicesUp } from '../../compose/service-conditions.js';
import { executeUp } from '../../compose/up-executor.js';
import { planUp, withDependencies } from '../../compose/up-planner.js';
import { outputFormat, printJson, withClient } from '../context.js';
import { relativeTime, renderTable } from '../format.js';
import { portsColumn } from './ports-column.js';
import { composeProject, printProgress, projectOrName, type ComposeFlags } from './compose-project.js';

export type { ComposeFlags };

export interface UpFlags extends ComposeFlags { build?: boolean; detach?: boolean; wait?: boolean; waitTimeout?: string; scale: string[]; forceRecreate?: boolean; noRecreate?: boolean; removeOrphans?: boolean; timeout?: string }
export interface DownFlags extends ComposeFlags { volumes?: boolean; rmi?: string; removeOrphans?: boolean; timeout?: string }
export interface PsFlags extends ComposeFlags { all?: boolean; quiet?: boolean; services?: boolean; format?: string }
export interface ConfigFlags extends ComposeFlags { quiet?: boolean; services?: boolean; volumes?: boolean; hash?: string; format?: string }

const seconds = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw errors.invalidArgument('usage', `${flag}: a number of seconds expected, got "${text}"`);
  return value;
};

function scaleOf(values: string[]): Record<string, number> {
  return Object.fromEntries(values.map((v) => {
    const [service = '', count = ''] = v.split('=');
    const n = Number(count);
    if (service === '' || !Number.isInteger(n) || n < 0) throw errors.invalidArgument('usage', `--scale ${v}: SERVICE=NUM expected`);
    return [service, n];
  }));
}

export async function upAction(globals: GlobalOptions, services: string[], flags: UpFlags): Promise<void> {
  const project = await composeProject(flags);
  const waiter = realWaiter((seconds(flags.waitTimeout, '--wait-timeout') ?? 300) * 1000);
  const stopTimeoutS = seconds(flags.timeout, '--timeout');
  const wanted = withDependencies(project, services);
  await (await import('./compose-images.js')).ensureImages(globals, project, wanted, flags.build === true);
  await withClient(globals, async (client) => {
    const plan = planUp(project, await observeState(client, project.name), {
      services, scale: scaleOf(flags.scale), forceRecreate: flags.forceRecreate === true, noRecreate: flags.noRecreate === true, removeOrphans: flags.removeOrphans === true,
    });
    await executeUp(client, project, plan, { progress: printProgress, waiter, ...(stopTimeoutS === undefined ? {} : { stopTimeoutS }) });
    if (flags.wait === true) {
      const names = plan.services.map((s) => s.service.name);
      await waitForServicesUp(client, project, names, waiter);
      for (const c of await projectContainers(client, project.name)) {
        if (names.includes(c.labels[LABELS.service] ?? '') && c.labels[LABELS.oneoff] !== 'True') printProgress('Container', c.name, c.state === 'running' ? 'Healthy' : 'Exited');
      }
    }
  });
  if (flags.detach !== true && flags.wait !== true) {
    const { followProject } = await import('./compose-logs.js');
    await followProject(globals, project, services);
  }
}

export async function downAction(globals: GlobalOptions, flags: DownFlags): Promise<void> {
  const project = await projectOrName(flags);
  const rmi = flags.rmi;
  if (rmi !== undefined && rmi !== 'all' && rmi !== 'local') throw errors.invalidArgument('usage', `--rmi ${rmi}: all or local expected`);
  const timeoutS = seconds(flags.timeout, '--timeout');
  await withClient(globals, (client) => executeDown(client, project, {
    volumes: flags.volumes === true, removeOrphans: flags.removeOrphans === true || project.configFiles.length === 0, progress: printProgress,
    ...(rmi === undefined ? {} : { rmi }),
    ...(timeoutS === undefined ? {} : { timeoutS }),
  }));
}

async function serviceContainers(client: BerthClient, project: string, services: string[], all: boolean) {
  const list = await client.containers.list({ all, filters: { label: [`${LABELS.project}=${project}`] } });
  return list.filter((c) => services.length === 0 || services.includes(c.Labels[LABELS.service] ?? ''))
    .sort((a, b) => (a.Names[0] ?? '').localeCompare(b.Names[0] ?? ''));
}

export async function psAction(globals: GlobalOptions, services: string[], flags: PsFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const project = await projectOrName(flags);
  if (flags.services === true) {
    process.stdout.write(project.services.map((s) => `${s.name}\n`).join(''));
    return;
  }
  await withClient(globals, async (client) => {
    const list = await serviceContainers(client, project.name, services, flags.all === true);
    if (format === 'json') {
      printJson(list.map((c) => ({ ID: c.Id, Name: (c.Names[0] ?? '').replace(/^\//, ''), Image: c.Image, Command: c.Command, Project: project.name, Service: c.Labels[LABELS.service], Created: c.Created, State: c.State, Status: c.Status, Publishers: c.Ports })));
    } else if (flags.quiet === true) {
      process.stdout.write(list.map((c) => `${c.Id}\n`).join(''));
    } else {
      const now = new Date();
      process.stdout.write(`${renderTable(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], list.map((c) => [
        (c.Names[0] ?? '').replace(/^\//, ''), c.Image, JSON.stringify(c.Command.length > 20 ? `${c.Command.slice(0, 19)}…` : c.Command), c.Labels[LABELS.service] ?? '',
        relativeTime(new Date(c.Created * 1000), now), c.Status, portsColumn(c.Ports),
      ]))}\n`);
    }
  });
}

/** Without empty lists and maps (the model fills every list; the output shows what is set). */
function compact(value: unknown, keepEmpty = false): unknown {
  if (Array.isArray(value)) return value.map((v) => compact(v));
  if (value === null || typeof value !== 'object') return value;
  // A service's `networks: {back: {}}` names a network even when it sets nothing on it.
  const entries = Object.entries(value).map(([k, v]) => [k, compact(v, k === 'networks')] as const)
    .filter(([, v]) => keepEmpty || !(Array.isArray(v) && v.length === 0) && !(v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
  return Object.fromEntries(entries);
}

/** The project as the file would write it: docker compose's `config` output. */
function resolvedFile(project: ComposeProject): unknown {
  const services = Object.fromEntries(project.services.map(({ name, ...rest }) => [name, compact(rest)]));
  return { name: project.name, services, ...(compact({ networks: project.networks, volumes: project.volumes, secrets: project.secrets, configs: project.configs }) as object) };
}

export async function configAction(_globals: GlobalOptions, flags: ConfigFlags): Promise<void> {
  const project = await composeProject(flags);
  if (flags.quiet === true) return;
  if (flags.services === true) process.stdout.write(project.services.map((s) => `${s.name}\n`).join(''));
  else if (flags.volumes === true) process.stdout.write(Object.keys(project.volumes).map((v) => `${v}\n`).join(''));
  else if (flags.hash !== undefined) {
    const wanted = flags.hash === '*' ? project.services : project.services.filter((s) => flags.hash?.split(',').includes(s.name));
    process.stdout.write(wanted.map((s) => `${s.name} ${serviceConfigHash(s)}\n`).join(''));
  } else if (flags.format === 'json') printJson(resolvedFile(project));
  else if (flags.format === undefined || flags.format === 'yaml') process.stdout.write(stringify(resolvedFile(project), { lineWidth: 0 }));
  else throw errors.invalidArgument('unknown-format', `unknown --format ${flags.format} (yaml or json)`);
}

export async function lsAction(globals: GlobalOptions, flags: PsFlags): Promise<void> {
  const format = outputFormat(flags.format);
  await withClient(globals, async (client) => {
    const list = await client.containers.list({ all: true, filters: { label: [LABELS.project] } });
    const projects = new Map<string, { states: Map<string, number>; files: string }>();
    for (const c of list) {
      const name = c.Labels[LABELS.project] ?? '';
      const entry = projects.get(name) ?? { states: new Map<string, number>(), files: c.Labels[LABELS.configFiles] ?? '' };
      entry.states.set(c.State, (entry.states.get(c.State) ?? 0) + 1);
      projects.set(name, entry);
    }
    const rows = [...projects].filter(([, p]) => flags.all === true || p.states.has('running')).sort(([a], [b]) => a.localeCompare(b))
      .map(([name, p]) => ({ Name: name, Status: [...p.states].map(([s, n]) => `${s}(${n})`).join(', '), ConfigFiles: p.files }));
    if (format === 'json') printJson(rows);
    else if (flags.quiet === true) process.stdout.write(rows.map((r) => `${r.Name}\n`).join(''));
    else process.stdout.write(`${renderTable(['NAME', 'STATUS', 'CONFIG FILES'], rows.map((r) => [r.Name, r.Status, r.ConfigFiles]))}\n`);
  });
}
