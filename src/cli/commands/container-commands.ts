/**
 * The container verbs as command specs (`berth container <verb>`, and Docker's top-level
 * shortcuts `berth run`, `ps`, … via main.ts). Each `run` imports its module when it runs, so a
 * command loads only what it needs.
 */
import { argOf, argsOf, flagsOf, type CommandSpec, type OptionSpec } from '../args/command-spec.js';
import { CREATE_OPTIONS, RUN_ONLY_OPTIONS, type CreateFlags } from './container-flags.js';
import { CONTAINER_TOOL_COMMANDS } from './container-tool-commands.js';
import type { ListFlags } from './container-list.js';
import type { LogsFlags } from './container-logs.js';
import type { AttachFlags, ExecFlags } from './container-exec.js';
import type { StopFlags } from './container-lifecycle.js';
import type { StartFlags } from './container-run.js';
import type { InspectFlags } from './inspect.js';

const lifecycle = () => import('./container-lifecycle.js');
const TARGETS = '<container...>';
const STOP_OPTIONS: OptionSpec[] = [
  { flags: '-t, --time <seconds>', description: 'seconds to wait before killing (default: the container\'s stop timeout, 10)' },
  { flags: '--timeout <seconds>', description: 'same as --time' },
  { flags: '-s, --signal <signal>', description: 'signal to stop with (default: the container\'s stop signal)' },
];
const DETACH_KEYS: OptionSpec = { flags: '--detach-keys <keys>', description: 'key sequence to detach (default ctrl-p,ctrl-q)' };
const INSPECT_FORMAT: OptionSpec = { flags: '-f, --format <template>', description: 'print {{.Field.Sub}} / {{json .Field}} per object instead of JSON' };

const LIFECYCLE: CommandSpec[] = [
  {
    name: 'start', description: 'Start one or more stopped containers', args: TARGETS,
    options: [{ flags: '-a, --attach', description: 'attach stdout/stderr and exit with the container\'s code' }, { flags: '-i, --interactive', description: 'attach stdin too' }, DETACH_KEYS],
    run: async ({ globals, args, options }) => { await (await import('./container-run.js')).startAction(globals, argsOf(args, 'container'), flagsOf<StartFlags>(options)); },
  },
  {
    name: 'stop', description: 'Stop one or more running containers', args: TARGETS, options: STOP_OPTIONS,
    run: async ({ globals, args, options }) => { await (await lifecycle()).stopAction(globals, argsOf(args, 'container'), flagsOf<StopFlags>(options)); },
  },
  {
    name: 'restart', description: 'Restart one or more containers', args: TARGETS, options: STOP_OPTIONS,
    run: async ({ globals, args, options }) => { await (await lifecycle()).restartAction(globals, argsOf(args, 'container'), flagsOf<StopFlags>(options)); },
  },
  {
    name: 'kill', description: 'Send a signal (default KILL) to one or more running containers', args: TARGETS,
    options: [{ flags: '-s, --signal <signal>', description: 'signal to send', default: 'KILL' }],
    run: async ({ globals, args, options }) => { await (await lifecycle()).killAction(globals, argsOf(args, 'container'), flagsOf<{ signal?: string }>(options)); },
  },
  {
    name: 'pause', description: 'Freeze all processes of one or more containers', args: TARGETS,
    run: async ({ globals, args }) => { await (await lifecycle()).pauseAction(globals, argsOf(args, 'container'), true); },
  },
  {
    name: 'unpause', description: 'Thaw all processes of one or more containers', args: TARGETS,
    run: async ({ globals, args }) => { await (await lifecycle()).pauseAction(globals, argsOf(args, 'container'), false); },
  },
  {
    name: 'rm', aliases: ['remove'], description: 'Remove one or more containers', args: TARGETS,
    options: [{ flags: '-f, --force', description: 'kill and remove a running container' }, { flags: '-v, --volumes', description: 'remove the container\'s anonymous volumes too' }],
    run: async ({ globals, args, options }) => { await (await lifecycle()).removeAction(globals, argsOf(args, 'container'), flagsOf<{ force?: boolean; volumes?: boolean }>(options)); },
  },
  {
    name: 'wait', description: 'Wait until containers stop, then print their exit codes', args: TARGETS,
    run: async ({ globals, args }) => { await (await lifecycle()).waitAction(globals, argsOf(args, 'container')); },
  },
  {
    name: 'prune', description: 'Remove all stopped containers',
    options: [{ flags: '-f, --force', description: 'do not prompt (berth never prompts; accepted for compatibility)' }],
    run: async ({ globals }) => { await (await lifecycle()).pruneAction(globals); },
  },
];

const STREAMS: CommandSpec[] = [
  {
    name: 'logs', description: 'Show the output of a container', args: '<container>',
    options: [
      { flags: '-f, --follow', description: 'keep following until the container stops' },
      { flags: '-n, --tail <lines>', description: 'lines from the end ("all" for every line)' },
      { flags: '--since <time>', description: 'only after this time (2026-01-02T15:04:05Z, Unix seconds, or a duration: 10m)' },
      { flags: '--until <time>', description: 'only before this time (as --since)' },
      { flags: '-t, --timestamps', description: 'prefix each line with its time' },
    ],
    run: async ({ globals, args, options }) => { await (await import('./container-logs.js')).logsAction(globals, argOf(args, 'container'), flagsOf<LogsFlags>(options)); },
  },
  {
    name: 'exec', description: 'Run a command in a running container', args: '<container> <command...>', passThrough: true,
    options: [
      { flags: '-i, --interactive', description: 'keep STDIN open and attach it' },
      { flags: '-t, --tty', description: 'allocate a pseudo-TTY' },
      { flags: '-d, --detach', description: 'run the command in the background' },
      { flags: '-e, --env <KEY=VALUE>', description: 'set an environment variable; repeatable', repeat: true },
      { flags: '-u, --user <user[:group]>', description: 'user name or uid (and group)' },
      { flags: '-w, --workdir <dir>', description: 'working directory' },
      { flags: '--privileged', description: 'give the command extended privileges' },
      DETACH_KEYS,
    ],
    run: async ({ globals, args, options }) => {
      await (await import('./container-exec.js')).execAction(globals, argOf(args, 'container'), argsOf(args, 'command'), flagsOf<ExecFlags>(options));
    },
  },
  {
    name: 'attach', description: 'Attach this terminal to a running container', args: '<container>',
    options: [
      { flags: '--no-stdin', description: 'do not attach STDIN' },
      DETACH_KEYS,
      { flags: '--sig-proxy [bool]', description: 'forward signals to the container (not with a TTY); --sig-proxy=false to turn off' },
    ],
    run: async ({ globals, args, options }) => { await (await import('./container-exec.js')).attachAction(globals, argOf(args, 'container'), flagsOf<AttachFlags>(options)); },
  },
];

function inspectCommand(generic: boolean): CommandSpec {
  return {
    name: 'inspect',
    description: generic ? 'Show details of containers or images (JSON)' : 'Show details of one or more containers (JSON)',
    args: '<name...>',
    options: generic ? [INSPECT_FORMAT, { flags: '--type <type>', description: 'container or image (default: a container, else an image)' }] : [INSPECT_FORMAT],
    run: async ({ globals, args, options }) => {
      const flags = flagsOf<InspectFlags>(options);
      await (await import('./inspect.js')).inspectAction(globals, argsOf(args, 'name'), generic ? flags : { ...flags, type: 'container' });
    },
  };
}

/** `berth container …`. */
export const CONTAINER_COMMAND: CommandSpec = {
  name: 'container',
  description: 'Manage containers (through berthd)',
  commands: [
    {
      name: 'run', description: 'Create and start a container from an image', args: '<image> [command...]', passThrough: true, helpLongOnly: true,
      options: [...RUN_ONLY_OPTIONS, ...CREATE_OPTIONS],
      run: async ({ globals, args, options }) => {
        await (await import('./container-run.js')).runAction(globals, argOf(args, 'image'), argsOf(args, 'command'), flagsOf<CreateFlags>(options));
      },
    },
    {
      name: 'create', description: 'Create a container (not started); prints its ID', args: '<image> [command...]', passThrough: true, helpLongOnly: true,
      options: CREATE_OPTIONS,
      run: async ({ globals, args, options }) => {
        await (await import('./container-run.js')).createAction(globals, argOf(args, 'image'), argsOf(args, 'command'), flagsOf<CreateFlags>(options));
      },
    },
    ...LIFECYCLE,
    {
      name: 'ls', aliases: ['ps', 'list'], description: 'List containers',
      options: [
        { flags: '-a, --all', description: 'show all containers (default: running ones)' },
        { flags: '-q, --quiet', description: 'only show container IDs' },
        { flags: '--filter <key=value>', description: 'filter: id, name, status, exited, ancestor, label, health; repeatable', repeat: true },
        { flags: '-n, --last <n>', description: 'show the n last created containers (all states)' },
        { flags: '-l, --latest', description: 'show the last created container (all states)' },
        { flags: '--no-trunc', description: 'do not truncate output' },
        { flags: '--format <format>', description: 'table or json', default: 'table' },
      ],
      run: async ({ globals, options }) => { await (await import('./container-list.js')).listAction(globals, flagsOf<ListFlags>(options)); },
    },
    ...STREAMS,
    ...CONTAINER_TOOL_COMMANDS,
    inspectCommand(false),
  ],
};

/** `berth inspect`: containers, then images. */
export const INSPECT_COMMAND: CommandSpec = inspectCommand(true);
