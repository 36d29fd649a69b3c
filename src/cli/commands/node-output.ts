/**
 * What `berth node ls` and `node inspect --pretty` print, as the docker CLI prints them. Pure:
 * rows and text from the API's Node objects.
 */
import { humanSize } from '../format.js';
import type { SwarmNode } from '../../wire/swarm.js';
import { capitalized, labelLines, prettyLines, SECTION, type PrettyEntry } from './cluster-pretty.js';

export const NODE_HEADERS = ['ID', 'HOSTNAME', 'STATUS', 'AVAILABILITY', 'MANAGER STATUS', 'ENGINE VERSION'] as const;

/** `Leader`, `Reachable` or `Unreachable` for a manager; empty for a worker. */
export function managerStatus(node: SwarmNode): string {
  const status = node.ManagerStatus;
  if (status === undefined) return '';
  if (status.Leader === true) return 'Leader';
  return capitalized(status.Reachability ?? 'unknown');
}

/** Rows of `node ls`, by hostname; this node's id is marked with `*`. */
export function nodeRows(nodes: readonly SwarmNode[], selfId: string): string[][] {
  return [...nodes]
    .sort((a, b) => (a.Description.Hostname ?? '').localeCompare(b.Description.Hostname ?? '') || a.ID.localeCompare(b.ID))
    .map((n) => [
      n.ID === selfId ? `${n.ID} *` : n.ID,
      n.Description.Hostname ?? '',
      capitalized(n.Status.State),
      capitalized(n.Spec.Availability ?? ''),
      managerStatus(n),
      n.Description.Engine.EngineVersion ?? '',
    ]);
}

/** `node inspect --pretty`: one block per node. */
export function nodePretty(node: SwarmNode): string {
  const manager = node.ManagerStatus;
  const cpus = node.Description.Resources.NanoCPUs;
  const memory = node.Description.Resources.MemoryBytes;
  return prettyLines([
    ['ID', node.ID],
    ...labelLines(node.Spec.Labels),
    ['Hostname', node.Description.Hostname ?? ''],
    ['Joined at', node.CreatedAt],
    ['Status', SECTION],
    [' State', capitalized(node.Status.State)],
    [' Availability', capitalized(node.Spec.Availability ?? '')],
    [' Address', node.Status.Addr ?? ''],
    // berth's: what a drain waits for (the docker CLI prints no message).
    [' Message', node.Spec.Availability === 'drain' ? node.Status.Message : undefined],
    ...(manager === undefined ? [] : [
      ['Manager Status', SECTION],
      [' Address', manager.Addr ?? ''],
      [' Status', managerStatus(node)],
      [' Leader', manager.Leader === true ? 'Yes' : 'No'],
    ] satisfies PrettyEntry[]),
    ['Platform', SECTION],
    [' Operating System', node.Description.Platform.OS ?? ''],
    [' Architecture', node.Description.Platform.Architecture ?? ''],
    ['Resources', SECTION],
    [' CPUs', cpus === undefined ? undefined : String(cpus / 1e9)],
    [' Memory', memory === undefined ? undefined : humanSize(memory)],
    ['Engine Version', node.Description.Engine.EngineVersion ?? ''],
  ]);
}
