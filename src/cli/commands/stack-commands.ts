/** `berth stack …` as command specs: a compose file's services on the cluster (through a manager), as `docker stack`. */
import { argOf, argsOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { StackDeployFlags, StackListFlags, StackPsFlags, StackServicesFlags } from './stack-actions.js';

const actions = () => import('./stack-actions.js');

const FORMAT = { flags: '--format <format>', description: 'table or json', default: 'table' };

export const STACK_COMMAND: CommandSpec = {
  name: 'stack',
  description: 'Run a compose file\'s services on the cluster (through a manager), as docker stack',
  commands: [
    {
      name: 'deploy', aliases: ['up'],
      description: 'Create or update a stack from compose files: services <stack>_<service>, networks, secrets, configs (only what changed is updated)',
      args: '<stack>',
      options: [
        { flags: '-c, --compose-file <path>', description: 'compose file; repeatable, merged in order', repeat: true },
        { flags: '--prune', description: 'remove the stack\'s services the files no longer name' },
        { flags: '-d, --detach [bool]', description: 'return once the changes are sent (the default); --detach=false follows each created or updated service until its tasks run' },
      ],
      run: async ({ globals, args, options }) => { await (await actions()).deployAction(globals, argOf(args, 'stack'), flagsOf<StackDeployFlags>(options)); },
    },
    {
      name: 'ls', aliases: ['list'], description: 'List the stacks (of berth and of the docker CLI alike) and their number of services',
      options: [FORMAT],
      run: async ({ globals, options }) => { await (await actions()).listAction(globals, flagsOf<StackListFlags>(options)); },
    },
    {
      name: 'services', description: 'List the services of a stack (REPLICAS: running/desired)', args: '<stack>',
      options: [
        { flags: '-q, --quiet', description: 'only show service ids' },
        { flags: '-f, --filter <key=value>', description: 'filter: id, name, label, mode; repeatable', repeat: true },
        FORMAT,
      ],
      run: async ({ globals, args, options }) => { await (await actions()).servicesAction(globals, argOf(args, 'stack'), flagsOf<StackServicesFlags>(options)); },
    },
    {
      name: 'ps', description: 'List the tasks of a stack, with the ones they replaced', args: '<stack>',
      options: [
        { flags: '-q, --quiet', description: 'only show task ids' },
        { flags: '-f, --filter <key=value>', description: 'filter: id, name, node, desired-state (running, shutdown, accepted); repeatable', repeat: true },
        { flags: '--no-trunc', description: 'do not shorten ids and errors' },
        FORMAT,
      ],
      run: async ({ globals, args, options }) => { await (await actions()).psAction(globals, argOf(args, 'stack'), flagsOf<StackPsFlags>(options)); },
    },
    {
      name: 'rm', aliases: ['remove', 'down'], description: 'Remove one or more stacks: their services, secrets, configs and networks', args: '<stack...>',
      run: async ({ globals, args }) => { await (await actions()).removeAction(globals, argsOf(args, 'stack')); },
    },
  ],
};
