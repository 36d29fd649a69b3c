/**
 * What `berth service ls`, `service ps` and `service inspect --pretty` print, as the docker CLI
 * prints them. Pure: rows and text from the API's Service and Task objects (node names passed in).
 */
import { relativeTime, ellipsis, humanSize, renderTable, shortId } from '../format.js';
import type { SwarmNode, SwarmService, SwarmServiceSpec, SwarmTask } from '../../wire/swarm.js';
import { capitalized, labelLines, prettyLines, RAW, SECTION, type PrettyEntry } from './cluster-pretty.js';
import { jobLines } from './service-job-pretty.js';
import { autoscaleLines } from './service-autoscale-flags.js';
import { modeName } from './service-job-mode.js';

export const SERVICE_HEADERS = ['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'] as const;
export const TASK_HEADERS = ['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR'] as const;

/** Docker's ERROR column width (`--no-trunc` shows it whole). */
const ERROR_WIDTH = 30;

/** The image as Docker lists it: without the digest it was pinned to. */
export function imageName(image: string | undefined): string {
  return (image ?? '').replace(/@sha256:[0-9a-f]+$/, '');
}

/**
 * `running/desired` (from `?status=true`), with Docker's `(max N per node)`; a job's as the docker
 * CLI shows it: `2/2 (1/4 completed)`, where desired is berthd's count — a replicated job's
 * concurrency, a global job's tasks still to finish (its total is those and the completed ones).
 */
export function replicasColumn(service: SwarmService): string {
  const status = service.ServiceStatus;
  const mode = service.Spec.Mode;
  const running = status?.RunningTasks ?? 0;
  const completed = status?.CompletedTasks ?? 0;
  if ('ReplicatedJob' in mode) {
    const desired = status?.DesiredTasks ?? Math.min(mode.ReplicatedJob.MaxConcurrent, mode.ReplicatedJob.TotalCompletions);
    return `${running}/${desired} (${completed}/${mode.ReplicatedJob.TotalCompletions} completed)`;
  }
  const desired = status?.DesiredTasks ?? ('Replicated' in mode ? mode.Replicated.Replicas : 0);
  if ('GlobalJob' in mode) return `${running}/${desired} (${completed}/${desired + completed} completed)`;
  const max = 'Replicated' in mode ? service.Spec.TaskTemplate.Placement.MaxReplicas ?? 0 : 0;
  return `${running}/${desired}${max > 0 ? ` (max ${max} per node)` : ''}`;
}

/** The ports published through the routing mesh, as Docker lists them: `*:8080->80/tcp, *:30000->53/udp`. */
export function portsColumn(service: SwarmService): string {
  return (service.Endpoint.Ports ?? []).filter((p) => p.PublishMode === 'ingress' && p.PublishedPort !== undefined)
    .map((p) => `*:${String(p.PublishedPort)}->${String(p.TargetPort)}/${p.Protocol}`).join(', ');
}

/** Rows of `service ls`, by name. */
export function serviceRows(services: readonly SwarmService[]): string[][] {
  return [...services].sort((a, b) => a.Spec.Name.localeCompare(b.Spec.Name))
    .map((s) => [shortId(s.ID), s.Spec.Name, modeName(s.Spec.Mode), replicasColumn(s), imageName(s.Spec.TaskTemplate.ContainerSpec.Image), portsColumn(s)]);
}

/** A task's name: `<service>.<slot>`, or `<service>.<node id>` for a global service's. */
export function taskName(task: SwarmTask, serviceName: string): string {
  return task.Slot !== undefined && task.Slot > 0 ? `${serviceName}.${task.Slot}` : `${serviceName}.${task.NodeID ?? ''}`;
}

export interface TaskRowContext {
  /** Service id → name. */
  services: ReadonlyMap<string, string>;
  /** Node id → hostname. */
  nodes: ReadonlyMap<string, string>;
  now: Date;
  trunc: boolean;
}

function errorColumn(err: string | undefined, trunc: boolean): string {
  if (err === undefined || err === '') return '';
  return trunc ? JSON.stringify(ellipsis(err, ERROR_WIDTH)) : err;
}

/** Docker's `Ports:` section of `service inspect --pretty` (its lines are `key = value`), after a newline; '' without ports. */
function portText(ports: readonly NonNullable<SwarmService['Endpoint']['Ports']>[number][]): string {
  if (ports.length === 0) return '';
  return ['', 'Ports:', ...ports.flatMap((p) => [
    ` PublishedPort = ${p.PublishedPort === undefined ? '' : String(p.PublishedPort)}`,
    `  Protocol = ${p.Protocol}`, `  TargetPort = ${String(p.TargetPort)}`, `  PublishMode = ${p.PublishMode}`,
  ])].join('\n');
}

/**
 * Rows of `service ps`: by service, slot (or node), newest first; a slot's older tasks (the ones
 * they replaced) follow it as ` \_ web.1`, as Docker shows a task's history.
 */
export function taskRows(tasks: readonly SwarmTask[], context: TaskRowContext): string[][] {
  const nameOf = (t: SwarmTask): string => taskName(t, context.services.get(t.ServiceID) ?? t.ServiceID);
  const sorted = [...tasks].sort((a, b) => nameOf(a).localeCompare(nameOf(b), undefined, { numeric: true })
    || b.Status.Timestamp.localeCompare(a.Status.Timestamp) || b.Version.Index - a.Version.Index);
  return sorted.map((task, i) => {
    const name = nameOf(task);
    const previous = sorted[i - 1];
    const state = `${capitalized(task.Status.State)} ${relativeTime(new Date(task.Status.Timestamp), context.now)}`;
    return [
      context.trunc ? shortId(task.ID) : task.ID,
      previous !== undefined && nameOf(previous) === name ? ` \\_ ${name}` : name,
      imageName(task.Spec.ContainerSpec.Image),
      task.NodeID === undefined ? '' : (context.nodes.get(task.NodeID) ?? task.NodeID),
      capitalized(task.DesiredState),
      state,
      errorColumn(task.Status.Err, context.trunc),
    ];
  });
}

const seconds = (ns: number): string => `${ns / 1e9}s`;

function list(title: string, values: readonly string[] | undefined): PrettyEntry[] {
  return values === undefined || values.length === 0 ? [] : [[title, values.join(' ')]];
}

function mountLines(mounts: SwarmService['Spec']['TaskTemplate']['ContainerSpec']['Mounts'] & object): PrettyEntry[] {
  if (mounts.length === 0) return [];
  return [['Mounts', SECTION], ...mounts.flatMap((m): PrettyEntry[] => [
    [' Target', m.Target], ['  Source', m.Source ?? ''], ['  ReadOnly', String(m.ReadOnly === true)], ['  Type', m.Type],
  ])];
}

/** Docker's `UpdateStatus:` section, once an update started. */
function updateStatusLines(status: SwarmService['UpdateStatus'], now: Date): PrettyEntry[] {
  if (status?.State === undefined) return [];
  const ago = (at: string | undefined): string | undefined => (at === undefined ? undefined : relativeTime(new Date(at), now));
  return [['UpdateStatus', SECTION], [' State', status.State], [' Started', ago(status.StartedAt)],
    [' Completed', status.State.endsWith('completed') ? ago(status.CompletedAt) : undefined], [' Message', status.Message ?? '']];
}

/** Docker's `UpdateConfig:` / `RollbackConfig:` sections (Delay and Monitoring Period when set). */
function rollingLines(title: string, orderTitle: string, config: SwarmServiceSpec['UpdateConfig']): PrettyEntry[] {
  if (config === undefined) return [];
  return [[title, SECTION], [' Parallelism', String(config.Parallelism)], [' Delay', config.Delay ? seconds(config.Delay) : undefined],
    [' On failure', config.FailureAction ?? 'pause'], [' Monitoring Period', config.Monitor ? seconds(config.Monitor) : undefined],
    [' Max failure ratio', String(config.MaxFailureRatio)], [` ${orderTitle}`, config.Order]];
}

/** `service inspect --pretty`: one block per service. */
export function servicePretty(service: SwarmService, now = new Date()): string {
  const spec = service.Spec;
  const task = spec.TaskTemplate;
  const { Limits: limits, Reservations: reservations } = task.Resources;
  const cpu = (nano: number | undefined): string | undefined => (nano === undefined ? undefined : String(nano / 1e9));
  const memory = (bytes: number | undefined): string | undefined => (bytes === undefined ? undefined : humanSize(bytes));
  const mode = spec.Mode;
  return prettyLines([
    ['ID', service.ID],
    ['Name', spec.Name],
    // The docker CLI lists a service's labels as ` key=value`.
    ...(Object.keys(spec.Labels).length === 0 ? [] : [['Labels', SECTION], ...Object.entries(spec.Labels).map(([k, v]): PrettyEntry => [` ${k}${v === '' ? '' : `=${v}`}`, RAW])] satisfies PrettyEntry[]),
    ['Service Mode', capitalized(modeName(mode))],
    ...('Replicated' in mode ? [[' Replicas', String(mode.Replicated.Replicas)] as const] : []),
    ...jobLines(service, now),
    ...autoscaleLines(service, now),
    ...updateStatusLines(service.UpdateStatus, now),
    ...(task.Placement.Constraints === undefined && task.Placement.Preferences === undefined && task.Placement.MaxReplicas === undefined ? [] : [
      ['Placement', SECTION],
      ...list(' Constraints', task.Placement.Constraints),
      ...list(' Preferences', task.Placement.Preferences?.map((p) => `spread=${p.Spread.SpreadDescriptor}`)),
      [' Max Replicas Per Node', task.Placement.MaxReplicas === undefined ? undefined : String(task.Placement.MaxReplicas)],
    ] satisfies PrettyEntry[]),
    ...rollingLines('UpdateConfig', 'Update order', spec.UpdateConfig),
    ...rollingLines('RollbackConfig', 'Rollback order', spec.RollbackConfig),
    ['RestartPolicy', SECTION],
    [' Condition', task.RestartPolicy.Condition],
    [' Delay', seconds(task.RestartPolicy.Delay)],
    [' Max Attempts', String(task.RestartPolicy.MaxAttempts)],
    [' Window', seconds(task.RestartPolicy.Window)],
    ['ContainerSpec', SECTION],
    [' Image', task.ContainerSpec.Image],
    ...list(' Args', task.ContainerSpec.Args),
    ...list(' Env', task.ContainerSpec.Env),
    ...labelLines(task.ContainerSpec.Labels, ' Labels'),
    ...mountLines(task.ContainerSpec.Mounts ?? []),
    ['Resources', SECTION],
    [' Reservations', reservations.NanoCPUs === undefined && reservations.MemoryBytes === undefined ? undefined : SECTION],
    ['  CPU', cpu(reservations.NanoCPUs)],
    ['  Memory', memory(reservations.MemoryBytes)],
    [' Limits', limits.NanoCPUs === undefined && limits.MemoryBytes === undefined && limits.Pids === undefined ? undefined : SECTION],
    ['  CPU', cpu(limits.NanoCPUs)],
    ['  Memory', memory(limits.MemoryBytes)],
    ['  PIDs', limits.Pids === undefined ? undefined : String(limits.Pids)],
    ['Endpoint Mode', spec.EndpointSpec.Mode],
  ]) + portText(service.Endpoint.Ports ?? []);
}

/** `service ps` and `stack ps` without --format json: the tasks' ids (`quiet`) or their table. */
export function taskListing(tasks: readonly SwarmTask[], services: readonly SwarmService[], nodes: readonly SwarmNode[], options: { quiet: boolean; trunc: boolean }): string {
  if (options.quiet) return tasks.map((t) => `${options.trunc ? shortId(t.ID) : t.ID}\n`).join('');
  const context = {
    services: new Map(services.map((s) => [s.ID, s.Spec.Name])),
    nodes: new Map(nodes.map((n) => [n.ID, n.Description.Hostname ?? n.ID])),
    now: new Date(),
    trunc: options.trunc,
  };
  return `${renderTable(TASK_HEADERS, taskRows(tasks, context))}\n`;
}
