/** `berth service …` as command specs: create, ls, ps, inspect, scale, update, rollback, logs, rm (through a manager). */
import { argOf, argsOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { ClusterInspectFlags } from './cluster-inspect.js';
import type { ServiceListFlags, ServicePsFlags } from './service-actions.js';
import { SERVICE_CREATE_OPTIONS } from './service-create-options.js';
import type { ServiceCreateFlags } from './service-flags.js';
import type { ServiceLogsFlags } from './service-logs.js';
import type { ServiceUpdateFlags } from './service-update-flags.js';
import { SERVICE_ROLLBACK_OPTIONS, SERVICE_UPDATE_OPTIONS } from './service-update-options.js';

const actions = () => import('./service-actions.js');

const FORMAT = { flags: '--format <format>', description: 'table or json', default: 'table' };

export const SERVICE_COMMAND: CommandSpec = {
  name: 'service',
  description: 'Manage the cluster\'s services (through a manager)',
  commands: [
    {
      name: 'create', description: 'Create a service (or a job); waits until every task runs (a job: until its run ends) unless --detach', args: '<image> [command...]', passThrough: true,
      options: SERVICE_CREATE_OPTIONS,
      run: async ({ globals, args, options }) => {
        await (await actions()).createAction(globals, argOf(args, 'image'), argsOf(args, 'command'), flagsOf<ServiceCreateFlags>(options));
      },
    },
    {
      name: 'ls', aliases: ['list'], description: 'List services (REPLICAS: running/desired; a job\'s with its completions)',
      options: [
        { flags: '-q, --quiet', description: 'only show service ids' },
        { flags: '-f, --filter <key=value>', description: 'filter: id, name, label, mode (replicated, global, replicated-job, global-job); repeatable', repeat: true },
        FORMAT,
      ],
      run: async ({ globals, options }) => { await (await actions()).listAction(globals, flagsOf<ServiceListFlags>(options)); },
    },
    {
      name: 'ps', description: 'List the tasks of one or more services, with the ones they replaced', args: '<service...>',
      options: [
        { flags: '-q, --quiet', description: 'only show task ids' },
        { flags: '-f, --filter <key=value>', description: 'filter: id, name, node, desired-state (running, shutdown, accepted); repeatable', repeat: true },
        { flags: '--no-trunc', description: 'do not shorten ids and errors' },
        FORMAT,
      ],
      run: async ({ globals, args, options }) => { await (await actions()).psAction(globals, argsOf(args, 'service'), flagsOf<ServicePsFlags>(options)); },
    },
    {
      name: 'inspect', description: 'Show details of one or more services (JSON); each is an id, id prefix or name', args: '<service...>',
      options: [
        { flags: '--pretty', description: 'human-readable text instead of JSON' },
        { flags: '-f, --format <template>', description: 'json, or {{.Field}} / {{json .Field}} per service' },
      ],
      run: async ({ globals, args, options }) => { await (await actions()).inspectAction(globals, argsOf(args, 'service'), flagsOf<ClusterInspectFlags>(options)); },
    },
    {
      name: 'scale', description: 'Set the replicas of one or more replicated services (a replicated job\'s completions: a new run); waits for the tasks unless --detach', args: '<service=replicas...>',
      options: [{ flags: '-d, --detach', description: 'do not wait for the tasks to run' }],
      run: async ({ globals, args, options }) => { await (await actions()).scaleAction(globals, argsOf(args, 'service=replicas'), options.detach === true); },
    },
    {
      name: 'update', description: 'Update a service; its tasks are rolled over (followed until done on a terminal, or with --wait)', args: '<service>',
      options: SERVICE_UPDATE_OPTIONS,
      run: async ({ globals, args, options }) => { await (await import('./service-update.js')).updateAction(globals, argOf(args, 'service'), flagsOf<ServiceUpdateFlags>(options)); },
    },
    {
      name: 'rollback', description: 'Restore a service\'s previous spec; its tasks are rolled back', args: '<service>',
      options: SERVICE_ROLLBACK_OPTIONS,
      run: async ({ globals, args, options }) => { await (await import('./service-update.js')).rollbackAction(globals, argOf(args, 'service'), flagsOf<{ detach?: boolean; wait?: boolean }>(options)); },
    },
    {
      name: 'promote', description: 'Let a canary update that holds go on past its canary tasks (waits for it unless --detach)', args: '<service>',
      options: SERVICE_ROLLBACK_OPTIONS,
      run: async ({ globals, args, options }) => { await (await import('./service-update.js')).promoteAction(globals, argOf(args, 'service'), flagsOf<{ detach?: boolean; wait?: boolean }>(options)); },
    },
    {
      name: 'logs', description: 'Show the logs of a service\'s tasks (or of one task), gathered from their nodes', args: '<service-or-task>',
      options: [
        { flags: '-f, --follow', description: 'keep following, tasks started later included, until interrupted' },
        { flags: '-n, --tail <lines>', description: 'lines from the end of each task\'s log ("all" for every line)' },
        { flags: '--since <time>', description: 'only after this time (2026-01-02T15:04:05Z, Unix seconds, or a duration: 10m)' },
        { flags: '-t, --timestamps', description: 'prefix each line with its time' },
        { flags: '--no-task-ids', description: 'leave the task ids out of the prefixes' },
        { flags: '--no-trunc', description: 'do not shorten task ids' },
        { flags: '--no-resolve', description: 'show node and service ids instead of names' },
        { flags: '--raw', description: 'no prefixes' },
      ],
      run: async ({ globals, args, options }) => { await (await import('./service-logs.js')).serviceLogsAction(globals, argOf(args, 'serviceOrTask'), flagsOf<ServiceLogsFlags>(options)); },
    },
    {
      name: 'rm', aliases: ['remove'], description: 'Remove one or more services (their tasks are shut down)', args: '<service...>',
      run: async ({ globals, args }) => { await (await actions()).removeAction(globals, argsOf(args, 'service')); },
    },
  ],
};
