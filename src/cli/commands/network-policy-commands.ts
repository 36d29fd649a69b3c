/** `berth network policy …`: create, ls, inspect, rm — the cluster's network policies, on a manager. */
import { readFile } from 'node:fs/promises';
import { argsOf, type CommandSpec, type GlobalOptions } from '../args/command-spec.js';
import { forEachTarget, printJson, withClient } from '../context.js';
import { renderTable, relativeTime, shortId } from '../format.js';
import type { NetworkPolicyView } from '../../wire/network-policies.js';
import { policySpecFromFlags } from './network-policy-flags.js';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** `web` or `tier=front` for a selector. */
function selector(s: { service: string } | { labels: Record<string, string> }): string {
  return 'service' in s ? s.service : Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Rows of `network policy ls`, by name. */
export function policyRows(policies: readonly NetworkPolicyView[], now: Date): string[][] {
  return [...policies].sort((a, b) => a.Spec.name.localeCompare(b.Spec.name))
    .map((p) => [shortId(p.ID), p.Spec.name, selector(p.Spec.target), String(p.Spec.ingress.length), relativeTime(new Date(p.CreatedAt), now)]);
}

async function create(globals: GlobalOptions, name: string | undefined, options: Record<string, unknown>): Promise<void> {
  const file = text(options.file);
  const flags = { targetLabel: strings(options.targetLabel), from: strings(options.from), port: strings(options.port), ...(text(options.target) === undefined ? {} : { target: text(options.target) ?? '' }) };
  // yaml loads only here: it is most of what a CLI start would otherwise parse.
  const document = file === undefined ? undefined : { document: (await import('yaml')).parse(await readFile(file, 'utf8')) as unknown };
  const spec = policySpecFromFlags(name, flags, document);
  await withClient(globals, async (client) => { process.stdout.write(`${(await client.networkPolicies.create(spec)).ID}\n`); });
}

export const NETWORK_POLICY_COMMAND: CommandSpec = {
  name: 'policy',
  description: 'Manage the cluster\'s network policies: which connections the tasks of a service accept (on a manager)',
  commands: [
    {
      name: 'create', description: 'Create a policy: once one guards a service, only what a rule allows gets in', args: '[name]',
      options: [
        { flags: '--target <service>', description: 'the service whose tasks the policy guards' },
        { flags: '--target-label <key=value>', description: 'or every service with these labels; repeatable', repeat: true },
        { flags: '--from <source>', description: 'allow connections from: SERVICE, label:KEY=VALUE (services), or an IPv4 address or block; repeatable (none: from anywhere)', repeat: true },
        { flags: '--port <port>', description: 'to this port: PORT[/tcp|udp]; repeatable (none: every port)', repeat: true },
        { flags: '-f, --file <file>', description: 'the whole policy from a YAML or JSON file (several rules; see docs/cluster.md)' },
      ],
      run: async ({ globals, args, options }) => { await create(globals, argsOf(args, 'name')[0], options); },
    },
    {
      name: 'ls', aliases: ['list'], description: 'List the network policies',
      run: async ({ globals }) => {
        await withClient(globals, async (client) => {
          process.stdout.write(renderTable(['ID', 'NAME', 'TARGET', 'RULES', 'CREATED'], policyRows(await client.networkPolicies.list(), new Date())));
        });
      },
    },
    {
      name: 'inspect', description: 'Show one or more network policies (JSON)', args: '<policy...>',
      run: async ({ globals, args }) => {
        await withClient(globals, async (client) => { printJson(await Promise.all(argsOf(args, 'policy').map((p) => client.networkPolicies.inspect(p)))); });
      },
    },
    {
      name: 'rm', aliases: ['remove'], description: 'Remove one or more network policies', args: '<policy...>',
      run: async ({ globals, args }) => {
        await withClient(globals, async (client) => {
          await forEachTarget(argsOf(args, 'policy'), async (p) => { await client.networkPolicies.remove(p); process.stdout.write(`${p}\n`); });
        });
      },
    },
  ],
};
