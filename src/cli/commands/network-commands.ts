/** `berth network …`: create, ls, inspect, rm, connect, disconnect, prune, policy — through berthd. */
import { errors } from '../../base/errors.js';
import { argOf, argsOf, type CommandSpec, type GlobalOptions } from '../args/command-spec.js';
import { forEachTarget, outputFormat, printJson, withClient } from '../context.js';
import { renderTable, shortId } from '../format.js';
import { keyValues } from './create-config.js';
import { NETWORK_POLICY_COMMAND } from './network-policy-commands.js';

const FORMAT = { flags: '--format <format>', description: 'table or json', default: 'table' };

async function list(globals: GlobalOptions, options: { quiet?: boolean; format?: string | undefined }): Promise<void> {
  const format = outputFormat(options.format);
  await withClient(globals, async (client) => {
    const networks = await client.networks.list();
    if (format === 'json') printJson(networks);
    else if (options.quiet === true) process.stdout.write(networks.map((n) => `${shortId(n.Id)}\n`).join(''));
    else {
      const rows = networks.map((n) => [shortId(n.Id), n.Name, n.Driver, n.Scope, n.IPAM.Config[0]?.Subnet ?? '', n.Internal ? 'yes' : '']);
      process.stdout.write(renderTable(['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE', 'SUBNET', 'INTERNAL'], rows));
    }
  });
}

/** `--subnet`/`--gateway`/`--ip-range` → one IPAM pool per subnet, each gateway and range with the subnet of its family. */
export function ipamPools(subnets: string[], gateways: string[], ranges: string[]): { Subnet: string; Gateway?: string; IPRange?: string }[] {
  const family = (value: string): 4 | 6 => (value.includes(':') ? 6 : 4);
  for (const [flag, values] of [['--gateway', gateways], ['--ip-range', ranges]] as const) {
    for (const value of values) {
      if (!subnets.some((s) => family(s) === family(value))) throw errors.invalidArgument('invalid-flag', `${flag} ${value} needs a --subnet of its address family`);
    }
  }
  return subnets.map((subnet) => {
    const gateway = gateways.find((g) => family(g) === family(subnet));
    const range = ranges.find((r) => family(r) === family(subnet));
    return { Subnet: subnet, ...(gateway === undefined ? {} : { Gateway: gateway }), ...(range === undefined ? {} : { IPRange: range }) };
  });
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

export const NETWORK_COMMAND: CommandSpec = {
  name: 'network',
  description: 'Manage networks (through berthd)',
  commands: [
    {
      name: 'create', description: 'Create a bridge network, or a cluster overlay network (-d overlay, on a manager)', args: '<name>',
      options: [
        { flags: '-d, --driver <driver>', description: 'network driver: bridge, or overlay (a network of the cluster, spanning its nodes)' },
        { flags: '--attachable', description: 'overlay: plain containers may join it, not only service tasks' },
        { flags: '--subnet <cidr>', description: 'subnet, IPv4 (default: the first free /24 from 10.89.0.0) or IPv6; once per family', repeat: true },
        { flags: '--gateway <ip>', description: 'gateway address in the subnet of its family (default: its first address)', repeat: true },
        { flags: '--ip-range <cidr>', description: 'block of the subnet of its family that containers\' addresses are taken from (needs --subnet)', repeat: true },
        { flags: '--ipv6', description: 'containers get an IPv6 address too (needs an IPv6 --subnet)' },
        { flags: '--internal', description: 'no route out of the network (no masquerade, no default route)' },
        { flags: '-o, --opt <key=value>', description: 'driver option (enable_icc, mtu, berth.bandwidth.ingress/egress, berth.sysctl.net.*; see docs/networking.md); repeatable', repeat: true },
        { flags: '-l, --label <key=value>', description: 'set a label; repeatable', repeat: true },
      ],
      run: async ({ globals, args, options }) => {
        await withClient(globals, async (client) => {
          const pools = ipamPools(strings(options.subnet), strings(options.gateway), strings(options.ipRange));
          const created = await client.networks.create({
            Name: argOf(args, 'name'), Driver: text(options.driver) ?? 'bridge', Internal: options.internal === true, EnableIPv6: options.ipv6 === true, Attachable: options.attachable === true,
            Options: keyValues(strings(options.opt), '--opt'), Labels: keyValues(strings(options.label), '--label'),
            ...(pools.length === 0 ? {} : { IPAM: { Config: pools } }),
          });
          process.stdout.write(`${created.Id}\n`);
        });
      },
    },
    {
      name: 'ls', aliases: ['list'], description: 'List networks',
      options: [{ flags: '-q, --quiet', description: 'only show network ids' }, FORMAT],
      run: async ({ globals, options }) => { await list(globals, { quiet: options.quiet === true, format: text(options.format) }); },
    },
    {
      name: 'inspect', description: 'Show details of one or more networks (JSON)', args: '<network...>',
      run: async ({ globals, args }) => {
        await withClient(globals, async (client) => { printJson(await Promise.all(argsOf(args, 'network').map((n) => client.networks.inspect(n)))); });
      },
    },
    {
      name: 'rm', aliases: ['remove'], description: 'Remove one or more networks', args: '<network...>',
      run: async ({ globals, args }) => {
        await withClient(globals, async (client) => {
          await forEachTarget(argsOf(args, 'network'), async (n) => { await client.networks.remove(n); process.stdout.write(`${n}\n`); });
        });
      },
    },
    {
      name: 'connect', description: 'Connect a container to a network', args: '<network> <container>',
      options: [
        { flags: '--alias <name>', description: 'another name of the container on the network; repeatable', repeat: true },
        { flags: '--ip <address>', description: 'IPv4 address on the network (only on a network created with --subnet)' },
        { flags: '--ip6 <address>', description: 'IPv6 address on the network (only on a network created with --ipv6)' },
        { flags: '--mac-address <mac>', description: 'MAC address of the new interface' },
      ],
      run: async ({ globals, args, options }) => {
        const fixed = { ip: text(options.ip) ?? '', ip6: text(options.ip6) ?? '', mac: text(options.macAddress) ?? '' };
        await withClient(globals, async (client) => { await client.networks.connect(argOf(args, 'network'), argOf(args, 'container'), strings(options.alias), fixed); });
      },
    },
    {
      name: 'disconnect', description: 'Disconnect a container from a network', args: '<network> <container>',
      run: async ({ globals, args }) => {
        await withClient(globals, async (client) => { await client.networks.disconnect(argOf(args, 'network'), argOf(args, 'container')); });
      },
    },
    {
      name: 'prune', description: 'Remove every network no container uses (the default bridge stays)',
      options: [{ flags: '-f, --force', description: 'do not prompt (berth never prompts; accepted for compatibility)' }],
      run: async ({ globals }) => {
        await withClient(globals, async (client) => {
          const names = (await client.networks.prune()).NetworksDeleted ?? [];
          if (names.length > 0) process.stdout.write(`Deleted Networks:\n${names.map((n) => `${n}\n`).join('')}`);
        });
      },
    },
    NETWORK_POLICY_COMMAND,
  ],
};
