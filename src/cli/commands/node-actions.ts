/**
 * The `node` verbs: flags → the cluster client → Docker's output. A node reference is an id, an
 * id prefix or a hostname (berthd's `GET /nodes/{ref}` resolves it), or `self` for this node.
 */
import type { BerthClient } from '../../client/berth-client.js';
import type { SwarmNode } from '../../wire/swarm.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { forEachTarget, outputFormat, printJson, withClient } from '../context.js';
import { renderTable } from '../format.js';
import { inspectObjects, type ClusterInspectFlags } from './cluster-inspect.js';
import { parseFilters } from './container-list.js';
import { mergeNodeSpec, type NodeUpdateFlags } from './node-update.js';
import { NODE_HEADERS, nodePretty, nodeRows } from './node-output.js';

export interface NodeListFlags { quiet?: boolean; filter: string[]; format?: string }

/** `GET /nodes/{ref}`, with `self` meaning this node (as docker's `node inspect self`). */
async function inspectNode(client: BerthClient, ref: string): Promise<SwarmNode> {
  return client.cluster.inspectNode(ref === 'self' ? (await client.info()).Swarm.NodeID : ref);
}

export async function listAction(globals: GlobalOptions, flags: NodeListFlags): Promise<void> {
  const format = outputFormat(flags.format);
  const filters = parseFilters(flags.filter);
  await withClient(globals, async (client) => {
    const [nodes, info] = await Promise.all([client.cluster.listNodes(filters), client.info()]);
    if (format === 'json') printJson(nodes);
    else if (flags.quiet === true) process.stdout.write(nodes.map((n) => `${n.ID}\n`).join(''));
    else process.stdout.write(`${renderTable(NODE_HEADERS, nodeRows(nodes, info.Swarm.NodeID))}\n`);
  });
}

export async function inspectAction(globals: GlobalOptions, refs: string[], flags: ClusterInspectFlags): Promise<void> {
  await withClient(globals, (client) => inspectObjects(refs, flags, (ref) => inspectNode(client, ref), nodePretty));
}

/** Reads the node, merges the flags into its spec and writes it back at the version read (conflict if it moved on meanwhile). */
export async function updateAction(globals: GlobalOptions, ref: string, flags: NodeUpdateFlags): Promise<void> {
  await withClient(globals, async (client) => {
    const node = await inspectNode(client, ref);
    await client.cluster.updateNode(node.ID, node.Version.Index, mergeNodeSpec(node.Spec, flags));
    process.stdout.write(`${ref}\n`);
  });
}

/** `node promote` (role manager) and `node demote` (role worker), with Docker's messages. */
export async function roleAction(globals: GlobalOptions, refs: string[], role: 'manager' | 'worker'): Promise<void> {
  await withClient(globals, (client) => forEachTarget(refs, async (ref) => {
    const node = await inspectNode(client, ref);
    if (node.Spec.Role === role) {
      process.stdout.write(`Node ${ref} is already a ${role}.\n`);
      return;
    }
    await client.cluster.updateNode(node.ID, node.Version.Index, mergeNodeSpec(node.Spec, { labelAdd: [], labelRm: [], role }));
    process.stdout.write(role === 'manager' ? `Node ${ref} promoted to a manager in the cluster.\n` : `Manager ${ref} demoted in the cluster.\n`);
  }));
}

export async function removeAction(globals: GlobalOptions, refs: string[], force: boolean): Promise<void> {
  await withClient(globals, (client) => forEachTarget(refs, async (ref) => {
    await client.cluster.removeNode(ref === 'self' ? (await client.info()).Swarm.NodeID : ref, force);
    process.stdout.write(`${ref}\n`);
  }));
}
