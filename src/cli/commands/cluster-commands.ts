/** `berth cluster …` as command specs: init, join, leave, join-token, status (through berthd). */
import { argOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { ClusterInitFlags, ClusterJoinFlags, JoinTokenFlags } from './cluster-actions.js';

const actions = () => import('./cluster-actions.js');

const ADDRESS_OPTIONS = [
  { flags: '--advertise-addr <addr>', description: 'the address other nodes reach this node at (IP[:PORT]; default: the first non-loopback IPv4)' },
  { flags: '--listen-addr <addr>', description: 'where the cluster port listens (ADDR[:PORT], default 0.0.0.0:2377)' },
];

export const CLUSTER_COMMAND: CommandSpec = {
  name: 'cluster',
  description: 'Manage the cluster this node belongs to (Docker\'s `swarm`; through berthd)',
  commands: [
    {
      name: 'init', description: 'Make this node the first manager of a new cluster; prints the join command for workers',
      options: [
        ...ADDRESS_OPTIONS,
        { flags: '--etcd-endpoints <urls>', description: 'keep the cluster\'s state in this etcd cluster (client URLs, comma-separated) instead of a member berthd runs' },
      ],
      run: async ({ globals, options }) => { await (await actions()).initAction(globals, flagsOf<ClusterInitFlags>(options)); },
    },
    {
      name: 'join', description: 'Join a cluster as the token\'s role (worker or manager), through one of its managers', args: '<host:port>',
      options: [{ flags: '--token <token>', description: 'the join token (berth cluster join-token worker|manager on a manager); required' }, ...ADDRESS_OPTIONS],
      run: async ({ globals, args, options }) => { await (await actions()).joinAction(globals, argOf(args, 'host:port'), flagsOf<ClusterJoinFlags>(options)); },
    },
    {
      name: 'leave', description: 'Leave the cluster (its tasks\' containers on this node are removed)',
      options: [{ flags: '-f, --force', description: 'leave even as a manager (the others must keep a majority)' }],
      run: async ({ globals, options }) => { await (await actions()).leaveAction(globals, options.force === true); },
    },
    {
      name: 'join-token', description: 'Print the join command (or token) for a worker or a manager; --rotate replaces the token', args: '<role>',
      options: [
        { flags: '-q, --quiet', description: 'only print the token' },
        { flags: '--rotate', description: 'replace the token first (the old one admits no more nodes)' },
      ],
      run: async ({ globals, args, options }) => { await (await actions()).joinTokenAction(globals, argOf(args, 'role'), flagsOf<JoinTokenFlags>(options)); },
    },
    {
      name: 'status', description: 'This node\'s part of the cluster: state, node id, manager or not, cluster id, node and manager counts',
      options: [{ flags: '--format <format>', description: 'table or json (/info\'s Swarm object)', default: 'table' }],
      run: async ({ globals, options }) => { await (await actions()).statusAction(globals, typeof options.format === 'string' ? options.format : undefined); },
    },
    {
      name: 'rotate-key', description: 'Make a new data key (kept by the managers, never in the store) and seal every secret again with it; prints its id',
      run: async ({ globals }) => { await (await import('./secret-actions.js')).rotateKeyAction(globals); },
    },
  ],
};
