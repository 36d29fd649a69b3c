/**
 * Container verbs that look into or adjust a container: stats, top, diff, cp, export, rename,
 * update. Command specs only; each `run` imports its module when it runs.
 */
import { argOf, argsOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import { RESOURCE_OPTIONS } from './container-flags.js';
import type { CopyFlags } from './container-files.js';
import type { StatsFlags } from './container-stats.js';
import type { UpdateFlags } from './container-update.js';

export const CONTAINER_TOOL_COMMANDS: CommandSpec[] = [
  {
    name: 'stats', description: 'Show a live table of containers\' resource use (CPU, memory, network, block IO, pids)', args: '[container...]',
    options: [
      { flags: '-a, --all', description: 'all containers (default: running ones)' },
      { flags: '--no-stream', description: 'print one sample and exit' },
      { flags: '--format <format>', description: 'table or json', default: 'table' },
    ],
    run: async ({ globals, args, options }) => { await (await import('./container-stats.js')).statsAction(globals, argsOf(args, 'container'), flagsOf<StatsFlags>(options)); },
  },
  {
    name: 'top', description: 'Show the processes of a running container (ps options may follow)', args: '<container> [ps-options...]', passThrough: true,
    run: async ({ globals, args }) => { await (await import('./container-stats.js')).topAction(globals, argOf(args, 'container'), argsOf(args, 'psOptions')); },
  },
  {
    name: 'diff', description: 'Show what a container changed in its filesystem (A added, C changed, D deleted)', args: '<container>',
    run: async ({ globals, args }) => { await (await import('./container-files.js')).diffAction(globals, argOf(args, 'container')); },
  },
  {
    name: 'cp', description: 'Copy files between a container and the host: cp CONTAINER:SRC DEST, cp SRC CONTAINER:DEST (- is a tar on stdin/stdout)', args: '<source> <destination>',
    options: [
      { flags: '-a, --archive', description: 'keep uid/gid (berth always keeps them)' },
      { flags: '-L, --follow-link', description: 'follow a symbolic link given as the host source' },
    ],
    run: async ({ globals, args, options }) => { await (await import('./container-files.js')).copyAction(globals, argOf(args, 'source'), argOf(args, 'destination'), flagsOf<CopyFlags>(options)); },
  },
  {
    name: 'export', description: 'Write a container\'s root filesystem as a tar', args: '<container>',
    options: [{ flags: '-o, --output <file>', description: 'write to this file instead of stdout' }],
    run: async ({ globals, args, options }) => { await (await import('./container-files.js')).exportAction(globals, argOf(args, 'container'), flagsOf<{ output?: string }>(options)); },
  },
  {
    name: 'rename', description: 'Rename a container', args: '<container> <new-name>',
    run: async ({ globals, args }) => { await (await import('./container-update.js')).renameAction(globals, argOf(args, 'container'), argOf(args, 'newName')); },
  },
  {
    name: 'update', description: 'Change resource limits (of running containers at once) or the restart policy', args: '<container...>',
    options: [...RESOURCE_OPTIONS, { flags: '--restart <policy>', description: 'no, on-failure[:max-retries], always or unless-stopped' }],
    run: async ({ globals, args, options }) => { await (await import('./container-update.js')).updateAction(globals, argsOf(args, 'container'), flagsOf<UpdateFlags>(options)); },
  },
];
