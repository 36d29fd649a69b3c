/** The `cluster` verbs (init, join, leave, join-token, status): flags → the cluster client → Docker's output. */
import { errors } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { outputFormat, printJson, withClient } from '../context.js';
import { initMessage, joinInstructions, statusText } from './cluster-output.js';

export interface ClusterInitFlags { advertiseAddr?: string; listenAddr?: string; etcdEndpoints?: string }
export interface ClusterJoinFlags { token?: string; advertiseAddr?: string; listenAddr?: string }
export interface JoinTokenFlags { quiet?: boolean; rotate?: boolean }

/** `--etcd-endpoints http://a:2379,http://b:2379` → the URLs (http or https), each checked. */
export function etcdEndpoints(value: string | undefined): string[] {
  const urls = (value ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
  for (const url of urls) {
    if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) {
      throw errors.invalidArgument('invalid-flag', `--etcd-endpoints ${url}: want etcd client URLs such as http://10.0.0.5:2379, comma-separated`);
    }
  }
  return urls;
}

/** `worker` or `manager`; anything else is refused naming the argument. */
export function joinRole(value: string): 'worker' | 'manager' {
  if (value === 'worker' || value === 'manager') return value;
  throw errors.invalidArgument('invalid-argument', `join-token ${value}: want worker or manager`);
}

/** The `ip:port` at which this node's manager takes joins (its cluster port). */
async function managerAddr(client: BerthClient): Promise<string> {
  const swarm = (await client.info()).Swarm;
  const node = await client.cluster.inspectNode(swarm.NodeID);
  return node.ManagerStatus?.Addr ?? swarm.NodeAddr;
}

export async function initAction(globals: GlobalOptions, flags: ClusterInitFlags): Promise<void> {
  const etcd = etcdEndpoints(flags.etcdEndpoints);
  const request = {
    ...(flags.advertiseAddr === undefined ? {} : { AdvertiseAddr: flags.advertiseAddr }),
    ...(flags.listenAddr === undefined ? {} : { ListenAddr: flags.listenAddr }),
  };
  await withClient(globals, async (client) => {
    const nodeId = await client.cluster.initSwarm(request, { etcdEndpoints: etcd });
    const [tokens, addr] = await Promise.all([client.cluster.joinTokens(), managerAddr(client)]);
    process.stdout.write(initMessage(nodeId, tokens.Worker, addr));
  });
}

export async function joinAction(globals: GlobalOptions, remote: string, flags: ClusterJoinFlags): Promise<void> {
  if (flags.token === undefined || flags.token === '') throw errors.invalidArgument('invalid-flag', '--token is required: the join token a manager prints (berth cluster join-token worker)');
  const request = {
    JoinToken: flags.token,
    RemoteAddrs: [remote],
    ...(flags.advertiseAddr === undefined ? {} : { AdvertiseAddr: flags.advertiseAddr }),
    ...(flags.listenAddr === undefined ? {} : { ListenAddr: flags.listenAddr }),
  };
  await withClient(globals, async (client) => {
    await client.cluster.joinSwarm(request);
    const manager = (await client.info()).Swarm.ControlAvailable;
    process.stdout.write(`This node joined a cluster as a ${manager ? 'manager' : 'worker'}.\n`);
  });
}

export async function leaveAction(globals: GlobalOptions, force: boolean): Promise<void> {
  await withClient(globals, async (client) => {
    await client.cluster.leaveSwarm(force);
    process.stdout.write('Node left the cluster.\n');
  });
}

export async function joinTokenAction(globals: GlobalOptions, roleArg: string, flags: JoinTokenFlags): Promise<void> {
  const role = joinRole(roleArg);
  await withClient(globals, async (client) => {
    if (flags.rotate === true) {
      const swarm = await client.cluster.inspectSwarm();
      await client.cluster.updateSwarm(swarm.Version.Index, swarm.Spec, { [role]: true });
      if (flags.quiet !== true) process.stdout.write(`Successfully rotated ${role} join token.\n\n`);
    }
    const tokens = await client.cluster.joinTokens();
    const token = role === 'worker' ? tokens.Worker : tokens.Manager;
    if (flags.quiet === true) process.stdout.write(`${token}\n`);
    else process.stdout.write(joinInstructions(role, token, await managerAddr(client)));
  });
}

export async function statusAction(globals: GlobalOptions, format: string | undefined): Promise<void> {
  const output = outputFormat(format);
  await withClient(globals, async (client) => {
    const swarm = (await client.info()).Swarm;
    if (output === 'json') printJson(swarm);
    else process.stdout.write(statusText(swarm));
  });
}
