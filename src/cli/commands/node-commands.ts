/** `berth node …` as command specs: ls, inspect, update, promote, demote, rm (through a manager). */
import { argOf, argsOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { ClusterInspectFlags } from './cluster-inspect.js';
import type { NodeListFlags } from './node-actions.js';
import type { NodeUpdateFlags } from './node-update.js';

const actions = () => import('./node-actions.js');

const NODE_REF = 'a node id, id prefix or hostname (self: this node)';

export const NODE_COMMAND: CommandSpec = {
  name: 'node',
  description: 'Manage the cluster\'s nodes (through a manager)',
  commands: [
    {
      name: 'ls', aliases: ['list'], description: 'List the nodes (this one marked *)',
      options: [
        { flags: '-q, --quiet', description: 'only show node ids' },
        { flags: '-f, --filter <key=value>', description: 'filter: id, name, role, membership, label, node.label; repeatable', repeat: true },
        { flags: '--format <format>', description: 'table or json', default: 'table' },
      ],
      run: async ({ globals, options }) => { await (await actions()).listAction(globals, flagsOf<NodeListFlags>(options)); },
    },
    {
      name: 'inspect', description: `Show details of one or more nodes (JSON); each is ${NODE_REF}`, args: '<node...>',
      options: [
        { flags: '--pretty', description: 'human-readable text instead of JSON' },
        { flags: '-f, --format <template>', description: 'json, or {{.Field}} / {{json .Field}} per node' },
      ],
      run: async ({ globals, args, options }) => { await (await actions()).inspectAction(globals, argsOf(args, 'node'), flagsOf<ClusterInspectFlags>(options)); },
    },
    {
      name: 'update', description: `Change a node's labels, availability or role; the node is ${NODE_REF}`, args: '<node>',
      options: [
        { flags: '--label-add <key=value>', description: 'add or change a node label (used by constraints: node.labels.KEY); repeatable', repeat: true },
        { flags: '--label-rm <key>', description: 'remove a node label; repeatable', repeat: true },
        { flags: '--availability <availability>', description: 'active, pause (no new tasks) or drain (its tasks move elsewhere)' },
        { flags: '--role <role>', description: 'worker or manager' },
      ],
      run: async ({ globals, args, options }) => { await (await actions()).updateAction(globals, argOf(args, 'node'), flagsOf<NodeUpdateFlags>(options)); },
    },
    {
      name: 'promote', description: 'Make one or more nodes managers', args: '<node...>',
      run: async ({ globals, args }) => { await (await actions()).roleAction(globals, argsOf(args, 'node'), 'manager'); },
    },
    {
      name: 'demote', description: 'Make one or more managers workers (not the last manager)', args: '<node...>',
      run: async ({ globals, args }) => { await (await actions()).roleAction(globals, argsOf(args, 'node'), 'worker'); },
    },
    {
      name: 'rm', aliases: ['remove'], description: 'Remove one or more nodes from the cluster (a node that is not down only with --force)', args: '<node...>',
      options: [{ flags: '-f, --force', description: 'remove a node that is still up' }],
      run: async ({ globals, args, options }) => { await (await actions()).removeAction(globals, argsOf(args, 'node'), options.force === true); },
    },
  ],
};
