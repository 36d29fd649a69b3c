/**
 * `berth compose …` as command specs: docker compose v2's verbs over a compose file, through
 * berthd. The project flags (`-f`, `-p`, `--env-file`, `--profile`, `--project-directory`) come
 * before the verb as in docker compose; `expandComposeFlags` moves them after it (in their long
 * form, so that a verb's own `-f`, as `logs -f`, keeps its meaning).
 */
import { argOf, argsOf, flagsOf, type CommandSpec, type OptionSpec } from '../args/command-spec.js';
import type { DownFlags, PsFlags, UpFlags, ConfigFlags } from './compose-actions.js';
import type { ComposeFlags } from './compose-project.js';
import type { LogsFlags } from './compose-logs.js';
import type { ExecComposeFlags, LifecycleComposeFlags } from './compose-lifecycle.js';
import type { BuildComposeFlags, ImagesComposeFlags, PullComposeFlags } from './compose-images.js';
import type { RunComposeFlags } from './compose-run.js';

const actions = () => import('./compose-actions.js');
const lifecycle = () => import('./compose-lifecycle.js');
const images = () => import('./compose-images.js');

const PROJECT_OPTIONS: OptionSpec[] = [
  { flags: '--file <path>', description: 'compose file (-f before the verb); repeatable, merged in order', repeat: true },
  { flags: '--project-name <name>', description: 'project name (-p before the verb; default: the file\'s name: or its folder)' },
  { flags: '--project-directory <dir>', description: 'the folder relative paths and .env are read from (default: the first file\'s)' },
  { flags: '--env-file <path>', description: 'variables for interpolation instead of <project dir>/.env; repeatable', repeat: true },
  { flags: '--profile <name>', description: 'enable services of this profile; repeatable', repeat: true },
];

const SHORT_PROJECT_FLAGS: Record<string, string> = { '-f': '--file', '-p': '--project-name' };
const LONG_PROJECT_FLAGS = new Set(PROJECT_OPTIONS.map((o) => o.flags.split(' ')[0] ?? ''));

/** `compose -f a.yml -p x up -d` → `compose up --file a.yml --project-name x -d` (args after the `compose` word at `index`). */
export function expandComposeFlags(args: string[], index: number): string[] {
  if (args[index] !== 'compose') return args;
  const moved: string[] = [];
  let i = index + 1;
  while (i < args.length) {
    const arg = args[i] ?? '';
    const [name = '', inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg.slice(0, 2), arg.length > 2 ? arg.slice(2) : undefined];
    const long = SHORT_PROJECT_FLAGS[name] ?? (LONG_PROJECT_FLAGS.has(name) ? name : undefined);
    if (long === undefined) break;
    const value = inline ?? args[i + 1];
    if (value === undefined) break;
    moved.push(long, value);
    i += inline === undefined ? 2 : 1;
  }
  if (moved.length === 0 || i >= args.length) return args;
  return [...args.slice(0, index + 1), args[i] ?? '', ...moved, ...args.slice(i + 1)];
}

const verb = (spec: Omit<CommandSpec, 'options'> & { options?: OptionSpec[] }): CommandSpec => ({ ...spec, options: [...PROJECT_OPTIONS, ...(spec.options ?? [])] });
const services = (args: Record<string, string | string[] | undefined>): string[] => argsOf(args, 'service');

const lifecycleVerb = (name: 'start' | 'stop' | 'restart' | 'kill' | 'rm', description: string, options: OptionSpec[] = []): CommandSpec => verb({
  name, description, args: '[service...]', options,
  run: async ({ globals, args, options: o }) => { await (await lifecycle()).lifecycleAction(globals, name, services(args), flagsOf<LifecycleComposeFlags>(o)); },
});

export const COMPOSE_COMMAND: CommandSpec = {
  name: 'compose',
  description: 'Run multi-container applications from a compose file (docker compose v2 verbs, through berthd);\nproject flags before the verb: -f FILE, -p NAME, --env-file FILE, --profile NAME, --project-directory DIR',
  commands: [
    verb({
      name: 'up', description: 'Create and start the project\'s containers (only what changed is recreated)', args: '[service...]',
      options: [
        { flags: '-d, --detach', description: 'run in the background (without it, follow the logs and stop on Ctrl-C)' },
        { flags: '--build', description: 'build images of services with build: before starting (without it, only missing ones)' },
        { flags: '--wait', description: 'wait until services are running and healthy; non-zero if one is not' },
        { flags: '--wait-timeout <seconds>', description: 'bound of --wait and of depends_on conditions (default 300)' },
        { flags: '--scale <service=n>', description: 'replicas of a service (overrides scale and deploy.replicas); repeatable', repeat: true },
        { flags: '--force-recreate', description: 'recreate containers even if their configuration is unchanged' },
        { flags: '--no-recreate', description: 'never recreate existing containers' },
        { flags: '--remove-orphans', description: 'remove containers of services no longer in the file' },
        { flags: '-t, --timeout <seconds>', description: 'seconds to wait for a container to stop when it is replaced' },
      ],
      run: async ({ globals, args, options }) => { await (await actions()).upAction(globals, services(args), flagsOf<UpFlags>(options)); },
    }),
    verb({
      name: 'down', description: 'Stop and remove the project\'s containers and networks',
      options: [
        { flags: '-v, --volumes', description: 'remove named volumes of the file and anonymous volumes of the containers' },
        { flags: '--rmi <which>', description: 'remove images: all, or local (those without an image: name)' },
        { flags: '--remove-orphans', description: 'remove containers of services no longer in the file' },
        { flags: '-t, --timeout <seconds>', description: 'seconds to wait for a container to stop' },
      ],
      run: async ({ globals, options }) => { await (await actions()).downAction(globals, flagsOf<DownFlags>(options)); },
    }),
    verb({
      name: 'ps', description: 'List the project\'s containers', args: '[service...]',
      options: [
        { flags: '-a, --all', description: 'include stopped containers' },
        { flags: '-q, --quiet', description: 'only ids' },
        { flags: '--services', description: 'only service names' },
        { flags: '--format <format>', description: 'table or json', default: 'table' },
      ],
      run: async ({ globals, args, options }) => { await (await actions()).psAction(globals, services(args), flagsOf<PsFlags>(options)); },
    }),
    verb({
      name: 'config', description: 'Check the file and print the resolved project as YAML',
      options: [
        { flags: '-q, --quiet', description: 'only check' },
        { flags: '--services', description: 'print the service names' },
        { flags: '--volumes', description: 'print the volume names' },
        { flags: '--hash <service>', description: 'print the config hash of a service ("*" for all)' },
        { flags: '--format <format>', description: 'yaml or json', default: 'yaml' },
      ],
      run: async ({ globals, options }) => { await (await actions()).configAction(globals, flagsOf<ConfigFlags>(options)); },
    }),
    verb({
      name: 'logs', description: 'Show the output of the project\'s containers, each line prefixed by its container', args: '[service...]',
      options: [
        { flags: '-f, --follow', description: 'follow the output' },
        { flags: '-n, --tail <lines>', description: 'lines from the end of each log (default all)' },
        { flags: '-t, --timestamps', description: 'show timestamps' },
        { flags: '--no-color', description: 'plain prefixes' },
        { flags: '--no-log-prefix', description: 'no prefixes' },
      ],
      run: async ({ globals, args, options }) => { await (await import('./compose-logs.js')).composeLogsAction(globals, services(args), flagsOf<LogsFlags & ComposeFlags>(options)); },
    }),
    lifecycleVerb('start', 'Start the project\'s existing containers'),
    lifecycleVerb('stop', 'Stop the project\'s containers', [{ flags: '-t, --timeout <seconds>', description: 'seconds before SIGKILL' }]),
    lifecycleVerb('restart', 'Restart the project\'s containers', [{ flags: '-t, --timeout <seconds>', description: 'seconds before SIGKILL' }]),
    lifecycleVerb('kill', 'Send a signal to the project\'s running containers', [{ flags: '-s, --signal <signal>', description: 'signal (default SIGKILL)' }]),
    lifecycleVerb('rm', 'Remove the project\'s stopped containers', [
      { flags: '-f, --force', description: 'do not ask (berth never asks; accepted for compatibility)' },
      { flags: '-s, --stop', description: 'stop running containers first' },
      { flags: '-v, --volumes', description: 'remove their anonymous volumes' },
    ]),
    verb({
      name: 'exec', description: 'Run a command in a service\'s running container', args: '<service> <command...>', passThrough: true,
      options: [
        { flags: '-d, --detach', description: 'run in the background' },
        { flags: '-T, --disable-tty', description: 'no TTY (by default one when stdin is a terminal)' },
        { flags: '-e, --env <key=value>', description: 'set a variable; repeatable', repeat: true },
        { flags: '-u, --user <user>', description: 'user' },
        { flags: '-w, --workdir <dir>', description: 'working directory' },
        { flags: '--index <n>', description: 'container number of the service (default 1)' },
        { flags: '--privileged', description: 'extended privileges' },
      ],
      run: async ({ globals, args, options }) => { await (await lifecycle()).execComposeAction(globals, argOf(args, 'service'), argsOf(args, 'command'), flagsOf<ExecComposeFlags>(options)); },
    }),
    verb({
      name: 'run', description: 'Run a one-off command in a new container of a service (its dependencies brought up first)', args: '<service> [command...]', passThrough: true,
      options: [
        { flags: '-d, --detach', description: 'run in the background and print the container name' },
        { flags: '--rm', description: 'remove the container when it exits' },
        { flags: '--name <name>', description: 'container name (default <project>-<service>-run-<slug>)' },
        { flags: '--entrypoint <cmd>', description: 'override the entrypoint' },
        { flags: '-e, --env <key=value>', description: 'set a variable; repeatable', repeat: true },
        { flags: '-l, --label <key=value>', description: 'add a label; repeatable', repeat: true },
        { flags: '-u, --user <user>', description: 'user' },
        { flags: '-w, --workdir <dir>', description: 'working directory' },
        { flags: '-T, --disable-tty', description: 'no TTY (by default one when stdin is a terminal)' },
        { flags: '-P, --service-ports', description: 'publish the service\'s ports' },
        { flags: '--no-deps', description: 'do not start the services it depends on' },
      ],
      run: async ({ globals, args, options }) => { await (await import('./compose-run.js')).runComposeAction(globals, argOf(args, 'service'), argsOf(args, 'command'), flagsOf<RunComposeFlags>(options)); },
    }),
    verb({
      name: 'images', description: 'List the images the project\'s containers use', args: '[service...]',
      options: [
        { flags: '-q, --quiet', description: 'only image ids' },
        { flags: '--format <format>', description: 'table or json', default: 'table' },
      ],
      run: async ({ globals, args, options }) => { await (await images()).imagesComposeAction(globals, services(args), flagsOf<ImagesComposeFlags>(options)); },
    }),
    verb({
      name: 'top', description: 'Show the processes of the project\'s running containers', args: '[service...]',
      run: async ({ globals, args, options }) => { await (await images()).topComposeAction(globals, services(args), flagsOf<ComposeFlags>(options)); },
    }),
    verb({
      name: 'build', description: 'Build the images of services with build: (tagged image:, or <project>-<service>)', args: '[service...]',
      options: [
        { flags: '--no-cache', description: 'do not use the build cache' },
        { flags: '--build-arg <key=value>', description: 'a build argument; repeatable', repeat: true },
      ],
      run: async ({ globals, args, options }) => { await (await images()).buildComposeAction(globals, services(args), flagsOf<BuildComposeFlags>(options)); },
    }),
    verb({
      name: 'pull', description: 'Pull the images of the project\'s services', args: '[service...]',
      options: [
        { flags: '-q, --quiet', description: 'no progress' },
        { flags: '--ignore-buildable', description: 'skip services with build:' },
        { flags: '--ignore-pull-failures', description: 'warn and go on when a pull fails' },
      ],
      run: async ({ globals, args, options }) => { await (await images()).pullComposeAction(globals, services(args), flagsOf<PullComposeFlags>(options)); },
    }),
    verb({
      name: 'push', description: 'Push the images of services that have both build: and image:', args: '[service...]',
      options: [{ flags: '-q, --quiet', description: 'no progress' }],
      run: async ({ globals, args, options }) => { await (await images()).pushComposeAction(globals, services(args), flagsOf<PullComposeFlags>(options)); },
    }),
    verb({
      name: 'ls', description: 'List the compose projects on berthd',
      options: [
        { flags: '-a, --all', description: 'include stopped projects' },
        { flags: '-q, --quiet', description: 'only names' },
        { flags: '--format <format>', description: 'table or json', default: 'table' },
      ],
      run: async ({ globals, options }) => { await (await actions()).lsAction(globals, flagsOf<PsFlags>(options)); },
    }),
  ],
};
